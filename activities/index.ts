/** Activities of the app (registered on import). */
export { decideActivity } from './agent-decide.js';
export { appendTranscriptActivity } from './agent-transcript.js';
export { mcpCallActivity } from './agent-mcp-call.js';

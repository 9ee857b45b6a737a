/**
 * The host id that names this app's timer status blobs (`timers/<hostId>/...`). Azure derives it
 * from the site name; locally it is `AOS_HOST_ID`, or a stable name from the app folder so two
 * apps sharing one storage account do not share timer state.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

/** The host's rule for ids: lowercase letters, digits and dashes, at most 32 characters. */
const MAX_LENGTH = 32;

export function hostIdFor(appDir: string, env: NodeJS.ProcessEnv): string {
  const configured = env.AOS_HOST_ID?.trim();
  if (configured) return sanitise(configured) || 'aos-host';
  const absolute = path.resolve(appDir);
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 8);
  const base = sanitise(path.basename(absolute)).slice(0, MAX_LENGTH - hash.length - 1).replace(/-+$/, '');
  return base ? `${base}-${hash}` : hash;
}

function sanitise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_LENGTH);
}

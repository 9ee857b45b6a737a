/** Authentication and authorization of the HTTP API: roles and the route table, tokens, API keys, and the bootstrap. */
export { ForbiddenError, UnauthenticatedError } from './auth-errors.js';
export { Role, grants, parseRole, requiredRole, type FunctionCall, type Requirement } from './auth-roles.js';
export { matchApiKey, parseApiKeys, type ApiKey } from './api-keys.js';
export { createTokenVerifier, entraIssuers, entraJwksUrl, type Principal, type TokenVerifier, type TokenVerifierDeps } from './token-verifier.js';
export { HttpAuthenticator, type HttpAuthenticatorDeps, type PresentedCredentials } from './http-authenticator.js';
export { buildHttpAuthenticator, getHttpAuthenticator } from './auth-services.js';

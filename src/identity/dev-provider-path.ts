/**
 * Where the bundled identity provider is mounted. Kept apart from dev-provider.ts so that naming the
 * path does not load oidc-provider: only a process that serves the demo provider imports it.
 */
export const DEV_PROVIDER_PATH = '/idp';

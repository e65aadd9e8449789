/**
 * The local cloud's key for personal data at rest (PII_KEY of every function it runs): fixed and public, for local
 * use only. Production sets its own 32-byte key (base64) in the deployment's environment (cloudbaserc.json).
 */
export const LOCAL_PII_KEY = Buffer.from('local-cloud-pii-key-not-a-secret').toString('base64');

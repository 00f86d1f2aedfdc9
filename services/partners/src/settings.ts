/**
 * How webhooks are delivered, from the environment (every value in milliseconds but the counts):
 * - PARTNER_DELIVERY_INTERVAL_MS (300): how often the delivery job looks for due deliveries.
 * - PARTNER_DELIVERY_TIMEOUT_MS (5,000): one POST's time limit; no answer by then is a failure.
 * - PARTNER_DELIVERY_BACKOFF_BASE_MS (1,000) and PARTNER_DELIVERY_BACKOFF_CAP_MS (300,000): the wait
 *   after the n-th failure is base·2^(n−1), at most the cap.
 * - PARTNER_DELIVERY_MAX_ATTEMPTS (10): attempts before a delivery is dead-lettered.
 * - PARTNER_DELIVERY_BATCH (20): deliveries of one partner sent at once (each a different student).
 */
export interface DeliverySettings {
  intervalMs: number;
  timeoutMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  maxAttempts: number;
  batch: number;
}

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  intervalMs: 300,
  timeoutMs: 5_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 300_000,
  maxAttempts: 10,
  batch: 20,
};

const ENV: Record<keyof DeliverySettings, string> = {
  intervalMs: 'PARTNER_DELIVERY_INTERVAL_MS',
  timeoutMs: 'PARTNER_DELIVERY_TIMEOUT_MS',
  backoffBaseMs: 'PARTNER_DELIVERY_BACKOFF_BASE_MS',
  backoffCapMs: 'PARTNER_DELIVERY_BACKOFF_CAP_MS',
  maxAttempts: 'PARTNER_DELIVERY_MAX_ATTEMPTS',
  batch: 'PARTNER_DELIVERY_BATCH',
};

/** The settings of the environment; a value that is not a positive integer stops the service, naming it. */
export function deliverySettings(env: NodeJS.ProcessEnv = process.env): DeliverySettings {
  const settings = { ...DEFAULT_DELIVERY_SETTINGS };
  for (const key of Object.keys(ENV) as (keyof DeliverySettings)[]) {
    const raw = env[ENV[key]];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${ENV[key]} must be a positive integer, not ${raw}`);
    settings[key] = value;
  }
  return settings;
}

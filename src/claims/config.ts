/** Settings of claims handling; the server may override them (HttpConfig.claims). */
export interface ClaimsConfig {
  /** Overrides paying more than this many cents need a second handler's approval. */
  fourEyesAboveCents: number;
  /** Largest evidence file accepted, in bytes. */
  evidenceMaxBytes: number;
}

export const DEFAULT_CLAIMS_CONFIG: ClaimsConfig = {
  fourEyesAboveCents: 100_000,
  evidenceMaxBytes: 5 * 1024 * 1024,
};

export function claimsConfig(given: Partial<ClaimsConfig> | undefined): ClaimsConfig {
  return { ...DEFAULT_CLAIMS_CONFIG, ...given };
}

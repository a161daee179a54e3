/** How much evidence one claim and one policyholder's household may hold. */
export interface EvidenceQuota {
  perClaim: { files: number; bytes: number };
  perPolicyholder: { files: number; bytes: number };
}

/** Settings of claims handling; the server may override them (HttpConfig.claims). */
export interface ClaimsConfig {
  /** Overrides paying more than this many cents need a second handler's approval. */
  fourEyesAboveCents: number;
  /** Largest evidence file accepted, in bytes. */
  evidenceMaxBytes: number;
  /** How many files and bytes of evidence a claim and a policyholder's household may hold. */
  evidenceQuota: EvidenceQuota;
}

export const DEFAULT_CLAIMS_CONFIG: ClaimsConfig = {
  fourEyesAboveCents: 100_000,
  evidenceMaxBytes: 5 * 1024 * 1024,
  evidenceQuota: {
    perClaim: { files: 20, bytes: 25 * 1024 * 1024 },
    perPolicyholder: { files: 100, bytes: 100 * 1024 * 1024 },
  },
};

export function claimsConfig(given: Partial<ClaimsConfig> | undefined): ClaimsConfig {
  return { ...DEFAULT_CLAIMS_CONFIG, ...given };
}

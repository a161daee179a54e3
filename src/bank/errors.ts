import { AppError, type FieldIssue } from "../shared/errors.ts";

/**
 * Errors reading a file from the bank. `bank_file_unknown_type`: not one of the messages we read
 * (or not the one the caller expected); `bank_file_invalid`: the right message but not well-formed,
 * structurally wrong or with an amount that is not exact cents. `issues` name the offending paths.
 */
export type BankFileErrorCode = "bank_file_invalid" | "bank_file_unknown_type";

export class BankFileError extends AppError {
  override readonly code: BankFileErrorCode;
  constructor(code: BankFileErrorCode, message: string, issues: FieldIssue[] = []) {
    super(code, message, issues);
    this.name = "BankFileError";
    this.code = code;
  }
}

// The shape of the compliance mapping (compliance/controls.ts): per control ID of the platform's control
// catalog (../shared/requirements/controls.md), how it is met and what proves it, or why it is not.

/** Something that implements a control: a rendered object or a file of the repository. */
export type Evidence =
  /** A rendered object, `Kind/namespace/name` or `Kind/name` (cluster-scoped), in `env` or in any environment. */
  | { rendered: string; env?: string }
  /** A repository file (code, workflow, document). */
  | { code: string };

export type ControlMapping =
  | {
      status: 'implemented' | 'partial';
      /** What implements it; every rendered object must exist in rendered/, every file in the repository. */
      evidence: Evidence[];
      /** Test files that prove it (they must exist). */
      tests: string[];
      /** Our own short wording: how it is met, and for `partial` what is missing. */
      note: string;
    }
  | {
      status: 'waived' | 'not applicable';
      /** Why it is not met here, or does not apply to this repository. */
      reason: string;
      /** Who owns the decision (or the work that will end the waiver). */
      owner: string;
    };

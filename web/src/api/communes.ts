import { api, seg, type ApiResult } from './client.ts';
import type { Proposal } from './decisions.ts';
import { loadPages } from './ledger.ts';
import type { Application } from './types.ts';

/**
 * Membership calls. Admission is the commune's decision: each pending application has an
 * admit_member proposal (opened by itself when the person applied), found through the
 * proposals list, since an application does not name its proposal.
 */

/** Open proposals are few (each closes within days); this caps the look-up all the same. */
const OPEN_PROPOSALS_CAP = 1000;

const base = (commune: string) => `/communes/${seg(commune)}`;

export const communePaths = {
  applications: (commune: string) => `${base(commune)}/applications`,
  openProposals: (commune: string) => `${base(commune)}/proposals?status=open`,
};

/** The part of an admission proposal the applications list shows. */
export type AdmissionProposal = Pick<Proposal, 'id' | 'method' | 'closesAt'>;

const applicationOf = (p: Proposal): string | null => {
  const application = p.action?.type === 'admit_member' ? p.action.params.application : undefined;
  return typeof application === 'string' ? application : null;
};

export const communesApi = {
  /** The open admit_member proposals of a commune, by the application each would admit. */
  async admissionProposals(
    commune: string,
    signal?: AbortSignal,
  ): Promise<ApiResult<Map<string, AdmissionProposal>>> {
    const r = await loadPages<Proposal>(communePaths.openProposals(commune), {
      cap: OPEN_PROPOSALS_CAP,
      signal,
    });
    if (!r.ok) return r;
    const byApplication = new Map<string, AdmissionProposal>();
    for (const p of r.value.items) {
      const application = applicationOf(p);
      if (application)
        byApplication.set(application, { id: p.id, method: p.method, closesAt: p.closesAt });
    }
    return { ok: true, value: byApplication };
  },

  /**
   * Puts an application to the members when it has no open proposal (one that predates
   * decisions). Method, quorum and closing time come from the commune's governance.
   */
  proposeAdmission: (
    commune: string,
    application: Pick<Application, 'id'>,
    applicant: string,
  ): Promise<ApiResult<Proposal>> =>
    api.post<Proposal>(`${base(commune)}/proposals`, {
      title: `Admit @${applicant}`,
      action: { type: 'admit_member', params: { application: application.id } },
    }),
};

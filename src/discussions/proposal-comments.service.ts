import type { Permitted } from '../communes/access.ts';
import type { Need } from '../communes/permit.ts';
import type { Deps } from '../deps.ts';
import type { Account } from '../identity/identity.ts';
import { newId } from '../shared/ids.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import type { DiscussionsService } from './discussions.service.ts';
import type { Comment, CommentInput, CommentsQuery } from './discussions.ts';
import { editingRepository } from './editing.repository.ts';

// The discussion beside a vote (as in Loomio): a thread naming the proposal, opened by the
// first comment and shown on the proposal's page, not in the commune's thread list.

/** All this needs from decisions: the one access rule for a proposal, and what it is. */
export type ProposalPort = {
  enter(
    id: string,
    viewerId: string | null,
    need: Need,
  ): Promise<Result<EnteredProposal, AppError>>;
};
export type EnteredProposal = {
  p: { id: string; communeId: string; authorId: string | null; title: string };
  commune: Permitted;
};

export type ProposalComments = {
  thread: string | null;
  locked: boolean;
  comments: Comment[];
  next: string | null;
};

export function proposalCommentsService(deps: Deps, discussions: DiscussionsService) {
  const repo = editingRepository(deps.db);
  return {
    async list(
      { p, commune }: EnteredProposal,
      page: CommentsQuery,
    ): Promise<Result<ProposalComments>> {
      const thread = await repo.proposalThread(p.id);
      if (!thread) return ok({ thread: null, locked: false, comments: [], next: null });
      const read = await discussions.threadView(commune.viewerId, thread.id, page);
      if (!read.ok) return read;
      return ok({
        thread: thread.id,
        locked: thread.locked_at !== null,
        comments: read.value.comments,
        next: read.value.next,
      });
    },

    async add(
      author: Account,
      { p, commune }: EnteredProposal,
      input: CommentInput,
    ): Promise<Result<Comment>> {
      let thread = await repo.proposalThread(p.id);
      if (!thread) {
        await repo.openProposalThread({
          id: newId(),
          communeId: p.communeId,
          authorId: p.authorId ?? author.id,
          proposalId: p.id,
          title: p.title,
          createdAt: deps.clock.now().toISOString(),
        });
        thread = await repo.proposalThread(p.id);
      }
      return discussions.addComment(author, { threadId: thread!.id, commune }, input);
    },
  };
}
export type ProposalCommentsService = ReturnType<typeof proposalCommentsService>;

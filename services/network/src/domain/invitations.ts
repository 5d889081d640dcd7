export const MAX_INVITATION_USES = 500;
export const MAX_INVITATION_HOURS = 24 * 90;

const HOUR_MS = 3_600_000;

/** When an invitation created at `now` to last `hours` stops working. */
export function invitationExpiresAt(now: Date, hours: number): Date {
  return new Date(now.getTime() + hours * HOUR_MS);
}

export interface InvitationState {
  uses: number;
  maxUses: number;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Why an invitation can no longer be used, or undefined when it can. */
export function invitationProblem(invitation: InvitationState, now: Date): string | undefined {
  if (invitation.revokedAt) return "This invitation was revoked. Ask an organizer for a new one.";
  if (invitation.expiresAt.getTime() <= now.getTime())
    return "This invitation has expired. Ask an organizer for a new one.";
  if (invitation.uses >= invitation.maxUses) return "This invitation has been used up. Ask an organizer for a new one.";
  return undefined;
}

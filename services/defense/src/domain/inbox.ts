/** A read mark ahead of the hub's clock would hide notifications not written yet: it stops at now. */
export const readMarkAt = (upTo: Date, now: Date): Date => (upTo.getTime() > now.getTime() ? now : upTo);

/** The one inbox's unread counts and marking read, in English and Spanish: en.ts and es.ts spread these in. */
export const hubInboxEn = {
  "nav.inbox": "Inbox",
  "hubInbox.unread": { one: "{count} unread", other: "{count} unread" },
  "hubInbox.new": "New",
  "hubInbox.markRead": "Mark all as read",
  "hubInbox.allRead": "Everything here is read.",
  "hubInbox.answerCall": "Answer this call",
  "hubInbox.verifyAlert": "Verify this alert",
} as const;

export const hubInboxEs: {
  readonly [Key in keyof typeof hubInboxEn]: (typeof hubInboxEn)[Key] extends string
    ? string
    : { readonly one: string; readonly other: string };
} = {
  "nav.inbox": "Avisos",
  "hubInbox.unread": { one: "{count} sin leer", other: "{count} sin leer" },
  "hubInbox.new": "Nuevo",
  "hubInbox.markRead": "Marcar todo como leído",
  "hubInbox.allRead": "Todo lo de aquí está leído.",
  "hubInbox.answerCall": "Atender esta llamada",
  "hubInbox.verifyAlert": "Verificar esta alerta",
};

/**
 * The inbox's notifications, written from their kind and fields in the member's language (the hub
 * writes them in English): en.ts and es.ts spread these in. A kind not listed here shows the hub's text.
 */
export const inboxKindsEn = {
  "inboxKind.LOAN_OVERDUE":
    '"{tool}" was due back on {due}. Hand it on to the next member, or renew the loan if nobody waits.',
  "inboxKind.LOAN_STILL_OVERDUE": '"{tool}" is still out, due since {due}. Someone may be waiting for it.',
  "inboxKind.CARETAKERS_LOAN_OVERDUE":
    'As caretaker: "{tool}" has been overdue since {due}. Check in with whoever holds it.',
  "inboxKind.TOOL_RETIRED":
    '"{tool}" was retired from the library, so your reservation for it is closed. Search the catalogue for another.',
  "inboxKind.CALL": "You are called",
  "inboxKind.VERIFY": "You are asked to verify an alert",
  "inboxKind.BROADCAST": "Verified alert for the whole circle",
  "inboxKind.HEARING_REMINDER": "Reminder: you accompany someone to a hearing soon",
  "inboxKind.HEARING_SHORT": "A hearing lacks companions",
  "inboxKind.HOUSING_MATCH": "A housing match needs your answer",
  "inboxKind.alert": "{headline}: {alertKind} ({urgency}) at {place}, raised {raisedAt}: {text}",
} as const;

export const inboxKindsEs: {
  readonly [Key in keyof typeof inboxKindsEn]: string;
} = {
  "inboxKind.LOAN_OVERDUE":
    "«{tool}» debía devolverse el {due}. Pásala a quien sigue, o renueva el préstamo si nadie espera.",
  "inboxKind.LOAN_STILL_OVERDUE": "«{tool}» sigue fuera; debía volver el {due}. Puede que alguien la esté esperando.",
  "inboxKind.CARETAKERS_LOAN_OVERDUE":
    "Como cuidador o cuidadora: «{tool}» está vencida desde el {due}. Habla con quien la tiene.",
  "inboxKind.TOOL_RETIRED":
    "«{tool}» se retiró de la biblioteca, así que tu reserva queda cerrada. Busca otra en el catálogo.",
  "inboxKind.CALL": "Te llaman",
  "inboxKind.VERIFY": "Te piden que verifiques una alerta",
  "inboxKind.BROADCAST": "Alerta verificada para todo el círculo",
  "inboxKind.HEARING_REMINDER": "Recordatorio: pronto acompañas a alguien a una audiencia",
  "inboxKind.HEARING_SHORT": "A una audiencia le faltan acompañantes",
  "inboxKind.HOUSING_MATCH": "Una propuesta de alojamiento espera tu respuesta",
  "inboxKind.alert": "{headline}: {alertKind} ({urgency}) en {place}, avisada el {raisedAt}: {text}",
};

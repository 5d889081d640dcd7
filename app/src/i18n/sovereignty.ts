/**
 * Messages of the commons screen: the circle's figures and the money it kept out of banks, needs
 * met, stories, the needs board and the newsletter. `sovereigntyEs` has exactly the keys of `sovereigntyEn`.
 */
export const sovereigntyEn = {
  "nav.sovereignty": "Commons",

  "figures.title": "Our commons",
  "figures.closedTitle": "The circle's figures",
  "figures.intro":
    "Counted once each cycle closes at the new moon. A figure about fewer than 5 people is never shown, so nobody can be singled out.",
  "figures.cycle": "Cycle from {date}",
  "figures.suppressed": "fewer than 5",
  "figures.moneyTitle": "Kept out of banks and bureaucracies:",
  "figures.moneyParts":
    "Hours exchanged: {hours} (at {hourValue} an hour). Tools lent: {loans} (at {loanValue} a loan).",
  "figures.noRates": "Your circle has not said yet what an hour and a loan are worth in money.",
  "figures.hoursExchanged": "Hours exchanged",
  "figures.exchanges": "Exchanges",
  "figures.loans": "Tools lent",
  "figures.activeMembers": "Members taking part",
  "figures.commandsDisplaced": "Commands displaced",
  "figures.mediations": "Disputes mediated without police",
  "figures.crisesBuffered": "Crises buffered",
  "figures.needsMet": "Needs met without a coercive intermediary",
  "figures.ratesTitle": "What an hour and a loan are worth",
  "figures.ratesHint":
    "What your members would have paid a bank, a shop or an agency. Cycles that end from now on are valued at these rates; closed cycles keep theirs.",
  "figures.currency": "Currency (3 letters, e.g. EUR)",
  "figures.hourValue": "One hour of help",
  "figures.loanValue": "One tool lent",
  "figures.setRates": "Save the rates",
  "figures.ratesSet": "Saved: the next cycles are valued at these rates.",
  "figures.ratesInvalid": "Write a 3-letter currency and amounts of zero or more, e.g. 15 or 12.50.",
  "figures.recordTitle": "Record a need met",
  "figures.recordHint":
    "A need met without a landlord, a boss, a lender or the police. Recorded without names: only the count.",
  "figures.kind": "What happened",
  "figures.count": "How many times",
  "figures.record": "Record",
  "figures.recorded": "Recorded: it counts in this cycle's figures.",
  "needKind.MEAL_SHARED": "A meal shared",
  "needKind.POLICE_CALL_AVOIDED": "A police call avoided",
  "needKind.SABBATH_NEED_MET": "A rest-day need met",

  "stories.title": "Stories",
  "stories.none": "No stories yet.",
  "stories.tell": "Tell a story",
  "stories.storyTitle": "Title",
  "stories.body": "Your story",
  "stories.hideLegend": "Leave someone or somewhere out",
  "stories.hideHint":
    "A name, a street or a shop that could point at someone: it is replaced everywhere before the story is stored, and the words are never kept.",
  "stories.hide": "Words to leave out",
  "stories.replaceWith": "Say instead (optional)",
  "stories.consentField": "I agree that this story is published",
  "stories.consentHint":
    "It is shown only after a steward reads it, and only while you agree. You can withdraw at any time, and it disappears at once.",
  "stories.send": "Send my story",
  "stories.sent": "Thank you: a steward will read it before it is shown.",
  "stories.consent": "Agree to publish it",
  "stories.withdraw": "Withdraw my consent",
  "stories.consentGiven": "You agreed: it is shown once a steward approves it.",
  "stories.consentWithdrawn": "Withdrawn: it is no longer shown.",
  "storyStatus.AWAITING_REVIEW": "Waiting for a steward to read it",
  "storyStatus.PUBLISHED": "Published",
  "storyStatus.DECLINED": "Not published by the stewards",
  "storyStatus.WITHOUT_CONSENT": "Not shown: the teller has not agreed",

  "board.title": "Needs board",
  "board.empty": "No needs on the board right now.",
  "board.category": "{needs} posted · members waiting: {waiting}",
  "board.peopleWaiting": { one: "{count} person waiting", other: "{count} people waiting" },

  "newsletter.title": "Newsletter",
  "newsletter.cycle": "The cycle from {date}",
  "newsletter.summary": "{hours} exchanged, {needs} needs met, {commands} commands displaced.",
  "newsletter.noStories": "No stories were published this cycle.",
} as const;

type Catalogue<Messages> = {
  readonly [Key in keyof Messages]: Messages[Key] extends string
    ? string
    : { readonly one: string; readonly other: string };
};

export const sovereigntyEs: Catalogue<typeof sovereigntyEn> = {
  "nav.sovereignty": "Lo común",

  "figures.title": "Lo común",
  "figures.closedTitle": "Las cifras del círculo",
  "figures.intro":
    "Se cuentan una vez, cuando cada ciclo cierra en la luna nueva. Nunca se muestra una cifra sobre menos de 5 personas, para que nadie pueda ser señalado.",
  "figures.cycle": "Ciclo desde el {date}",
  "figures.suppressed": "menos de 5",
  "figures.moneyTitle": "Fuera de bancos y burocracias:",
  "figures.moneyParts":
    "Horas intercambiadas: {hours} (a {hourValue} la hora). Herramientas prestadas: {loans} (a {loanValue} el préstamo).",
  "figures.noRates": "Tu círculo aún no ha dicho cuánto valen en dinero una hora y un préstamo.",
  "figures.hoursExchanged": "Horas intercambiadas",
  "figures.exchanges": "Intercambios",
  "figures.loans": "Herramientas prestadas",
  "figures.activeMembers": "Miembros que participan",
  "figures.commandsDisplaced": "Mandatos desplazados",
  "figures.mediations": "Conflictos mediados sin policía",
  "figures.crisesBuffered": "Crisis amortiguadas",
  "figures.needsMet": "Necesidades cubiertas sin intermediario coercitivo",
  "figures.ratesTitle": "Cuánto valen una hora y un préstamo",
  "figures.ratesHint":
    "Lo que tus miembros habrían pagado a un banco, una tienda o una agencia. Los ciclos que terminen desde ahora se valoran a estas tarifas; los cerrados conservan las suyas.",
  "figures.currency": "Moneda (3 letras, p. ej. EUR)",
  "figures.hourValue": "Una hora de ayuda",
  "figures.loanValue": "Una herramienta prestada",
  "figures.setRates": "Guardar las tarifas",
  "figures.ratesSet": "Guardadas: los próximos ciclos se valoran a estas tarifas.",
  "figures.ratesInvalid": "Escribe una moneda de 3 letras y cantidades de cero o más, p. ej. 15 o 12,50.",
  "figures.recordTitle": "Registrar una necesidad cubierta",
  "figures.recordHint":
    "Una necesidad cubierta sin casero, jefe, prestamista ni policía. Se registra sin nombres: solo la cuenta.",
  "figures.kind": "Qué pasó",
  "figures.count": "Cuántas veces",
  "figures.record": "Registrar",
  "figures.recorded": "Registrado: cuenta en las cifras de este ciclo.",
  "needKind.MEAL_SHARED": "Una comida compartida",
  "needKind.POLICE_CALL_AVOIDED": "Una llamada a la policía evitada",
  "needKind.SABBATH_NEED_MET": "Una necesidad del día de descanso cubierta",

  "stories.title": "Historias",
  "stories.none": "Aún no hay historias.",
  "stories.tell": "Contar una historia",
  "stories.storyTitle": "Título",
  "stories.body": "Tu historia",
  "stories.hideLegend": "Dejar fuera a alguien o algún lugar",
  "stories.hideHint":
    "Un nombre, una calle o una tienda que pueda señalar a alguien: se sustituye en todo el texto antes de guardarlo, y esas palabras nunca se guardan.",
  "stories.hide": "Palabras que dejar fuera",
  "stories.replaceWith": "Decir en su lugar (opcional)",
  "stories.consentField": "Acepto que se publique esta historia",
  "stories.consentHint":
    "Solo se muestra después de que la lea un coordinador, y solo mientras lo aceptes. Puedes retirarlo cuando quieras y desaparece al momento.",
  "stories.send": "Enviar mi historia",
  "stories.sent": "Gracias: un coordinador la leerá antes de mostrarla.",
  "stories.consent": "Aceptar que se publique",
  "stories.withdraw": "Retirar mi consentimiento",
  "stories.consentGiven": "Lo aceptaste: se muestra cuando un coordinador la apruebe.",
  "stories.consentWithdrawn": "Retirado: ya no se muestra.",
  "storyStatus.AWAITING_REVIEW": "Esperando a que la lea un coordinador",
  "storyStatus.PUBLISHED": "Publicada",
  "storyStatus.DECLINED": "Los coordinadores no la publicaron",
  "storyStatus.WITHOUT_CONSENT": "No se muestra: quien la contó no lo ha aceptado",

  "board.title": "Tablón de necesidades",
  "board.empty": "No hay necesidades en el tablón ahora.",
  "board.category": "{needs} publicadas · miembros esperando: {waiting}",
  "board.peopleWaiting": { one: "{count} persona esperando", other: "{count} personas esperando" },

  "newsletter.title": "Boletín",
  "newsletter.cycle": "El ciclo desde el {date}",
  "newsletter.summary": "{hours} intercambiadas, {needs} necesidades cubiertas, {commands} mandatos desplazados.",
  "newsletter.noStories": "Este ciclo no se publicaron historias.",
};

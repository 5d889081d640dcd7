import { useEffect, useState } from "preact/hooks";
import { endSession } from "./api/end-session.js";
import { currentSession, onSessionChange } from "./api/session.js";
import { abandonFlush, flushOutbox, onOutboxChange, outboxSize, refusedFromOutbox } from "./api/outbox.js";
import { LANGUAGE_NAMES, language, setLanguage, t, type Language } from "./i18n/i18n.js";
import { Barter } from "./screens/barter.js";
import { BarterHistory, RemoteExchanges, SisterCircles, SkillShares } from "./screens/barter-lazy.js";
import { Governance } from "./screens/governance.js";
import { LazyGovernanceScreen } from "./screens/governance-lazy.js";
import { Home } from "./screens/home.js";
import { Inbox } from "./screens/inbox.js";
import { Join } from "./screens/join.js";
import { Login } from "./screens/login.js";
import { Tools } from "./screens/tools.js";
import { lazyScreen } from "./ui/lazy-screen.js";
import { OrganizerMembershipsDocument } from "./generated/graphql.js";
import type { StoredSession } from "./api/session.js";
import { go, hrefOf, useRoute, type Route } from "./ui/router.js";
import { useUnreadCount } from "./ui/unread.js";
import { useQuery } from "./ui/use-query.js";

/** The organizers' figures and charts: downloaded only when opened, never before the home screen. */
const Organize = lazyScreen(() => import("./screens/organize.js").then((module) => module.Organize));

const OUTBOX_RETRY_MS = 15_000;

const Defense = lazyScreen(async () => (await import("./screens/defense.js")).Defense);
const Caretaking = lazyScreen(async () => (await import("./screens/caretaking.js")).Caretaking);
const Sovereignty = lazyScreen(async () => (await import("./screens/sovereignty.js")).Sovereignty);

const MEMBER_SCREENS: Array<{ route: Route; label: () => string }> = [
  { route: "home", label: () => t("nav.home") },
  { route: "barter", label: () => t("nav.barter") },
  { route: "tools", label: () => t("nav.tools") },
  { route: "governance", label: () => t("nav.governance") },
  { route: "defense", label: () => t("nav.defense") },
  { route: "sovereignty", label: () => t("nav.sovereignty") },
];

/** The one inbox, with what waits unread in it; and, for the circle's organizers and stewards, their figures. */
function SecondaryNav({ session, route }: { session: StoredSession; route: Route | undefined }) {
  const unread = useUnreadCount(session, route);
  const memberships = useQuery(OrganizerMembershipsDocument, {});
  const here = memberships.data?.me.memberships.find((membership) => membership.id === session.member.id);
  const organizes = here?.roles.some((role) => role === "ORGANIZER" || role === "STEWARD") ?? false;
  return (
    <p class="secondary-nav">
      <a href={hrefOf("inbox")} aria-current={route === "inbox" ? "page" : undefined} data-testid="nav-inbox">
        {t("nav.inbox")}
        {unread !== undefined && unread > 0 && (
          <span class="badge" data-testid="nav-unread">
            <span aria-hidden="true">{unread}</span>
            <span class="visually-hidden">{t("hubInbox.unread", { count: unread })}</span>
          </span>
        )}
      </a>
      {organizes && (
        <a href={hrefOf("organize")} aria-current={route === "organize" ? "page" : undefined}>
          {t("nav.organize")}
        </a>
      )}
    </p>
  );
}

export function App() {
  const [, setLanguageState] = useState<Language>(language());
  const [session, setSession] = useState(currentSession());
  const route = useRoute();
  useEffect(() => onSessionChange(() => setSession(currentSession())), []);
  const [outbox, setOutbox] = useState({ waiting: outboxSize(), refused: refusedFromOutbox() });
  useEffect(() => {
    const update = () => setOutbox({ waiting: outboxSize(), refused: refusedFromOutbox() });
    const unsubscribe = onOutboxChange(update);
    const send = () => void flushOutbox();
    // A flush begun before the connection returned may be stuck on a send that cannot arrive.
    const sendAfresh = () => void flushOutbox({ restart: true });
    addEventListener("online", sendAfresh);
    addEventListener("offline", abandonFlush);
    // Also try now and then: a phone may say it is online before the hub can be reached.
    const timer = setInterval(() => outboxSize() > 0 && send(), OUTBOX_RETRY_MS);
    if (currentSession()) send();
    return () => {
      unsubscribe();
      removeEventListener("online", sendAfresh);
      removeEventListener("offline", abandonFlush);
      clearInterval(timer);
    };
  }, []);
  useEffect(() => {
    document.documentElement.lang = language();
  }, []);

  const isMemberScreen = route !== "login" && route !== "join";
  useEffect(() => {
    if (!session && isMemberScreen) go("login");
    else if (session && !isMemberScreen) go("home");
  }, [session, route]);

  const chooseLanguage = (next: Language) => {
    setLanguage(next);
    setLanguageState(next);
  };

  return (
    <>
      <a class="skip" href="#main">
        {t("app.skip")}
      </a>
      <header class="top">
        <span class="brand">{t("app.name")}</span>
        <label class="language">
          <span class="visually-hidden">{t("language.label")}</span>
          <select
            value={language()}
            onChange={(event) => chooseLanguage((event.currentTarget as HTMLSelectElement).value as Language)}
          >
            {Object.entries(LANGUAGE_NAMES).map(([code, name]) => (
              <option value={code} lang={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {session && (
          <button type="button" class="link-button" onClick={() => void endSession("logout")}>
            {t("nav.logout")}
          </button>
        )}
      </header>
      {session && (outbox.waiting > 0 || outbox.refused > 0) && (
        <p class="notice outbox" role="status" data-testid="outbox">
          {outbox.waiting > 0
            ? t("outbox.waiting", { count: outbox.waiting })
            : t("outbox.refused", { count: outbox.refused })}
        </p>
      )}
      <main id="main">
        {!session && route === "join" && <Join />}
        {!session && route !== "join" && <Login />}
        {session && (route === "home" || !isMemberScreen || !route) && <Home session={session} />}
        {session && route === "barter" && <Barter session={session} />}
        {session && route === "barter-history" && <BarterHistory session={session} />}
        {session && route === "skill-shares" && <SkillShares session={session} />}
        {session && route === "sisters" && <SisterCircles session={session} />}
        {session && route === "remote" && <RemoteExchanges session={session} />}
        {session && route === "tools" && <Tools session={session} />}
        {session && route === "caretaking" && <Caretaking session={session} />}
        {session && route === "governance" && <Governance session={session} />}
        {session && route === "inbox" && <Inbox session={session} />}
        {session && route === "defense" && <Defense session={session} />}
        {session && route === "sovereignty" && <Sovereignty session={session} />}
        {session && route === "decisions" && <LazyGovernanceScreen name="DecisionLog" session={session} />}
        {session && route === "draws" && <LazyGovernanceScreen name="Draws" session={session} />}
        {session && route === "draw" && <LazyGovernanceScreen name="DrawCheck" session={session} />}
        {session && route === "pacts" && <LazyGovernanceScreen name="Pacts" session={session} />}
        {session && route === "constitution" && <LazyGovernanceScreen name="Constitution" session={session} />}
        {session && route === "assemblies" && <LazyGovernanceScreen name="Assemblies" session={session} />}
        {session && route === "bloc" && <LazyGovernanceScreen name="Bloc" session={session} />}
        {session && route === "organize" && <Organize session={session} />}
      </main>
      {session && (
        <nav class="bottom" aria-label={t("nav.label")}>
          <ul>
            {MEMBER_SCREENS.map((screen) => (
              <li>
                <a href={hrefOf(screen.route)} aria-current={route === screen.route ? "page" : undefined}>
                  {screen.label()}
                </a>
              </li>
            ))}
          </ul>
          <SecondaryNav session={session} route={route} />
        </nav>
      )}
    </>
  );
}

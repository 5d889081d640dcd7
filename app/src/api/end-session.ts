import { LogoutDocument } from "../generated/graphql.js";
import { run } from "./client.js";
import { clearPrivateData } from "./private-storage.js";
import { currentSession, saveSession } from "./session.js";

/** Not private: which notice the login screen shows once, after the page starts afresh. */
export const NOTICE_KEY = "rhizome.notice";
export type EndNotice = "logout" | "left";

/** Ends the session at the hub, then removes everything private from the phone, whatever the hub answered. */
export async function endSession(notice: EndNotice): Promise<void> {
  const session = currentSession();
  try {
    if (session) await run(LogoutDocument, { refreshToken: session.refreshToken }, { anonymous: true });
  } catch {
    // Offline, or already ended (leaving a circle ends its sessions): the phone is cleared all the same.
  }
  saveSession(undefined);
  await clearPrivateData();
  sessionStorage.setItem(NOTICE_KEY, notice);
  // A fresh page leaves nothing of the member in memory either.
  location.replace(`${location.pathname}#/login`);
  location.reload();
}

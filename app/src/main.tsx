import { render } from "preact";
import { App } from "./app.js";
import "./styles.css";

render(<App />, document.getElementById("root")!);

// The app's own files, kept for when the phone has no connection (public/sw.js).
if ("serviceWorker" in navigator)
  void navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).catch(() => undefined);

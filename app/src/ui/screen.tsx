import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/** One screen: its title receives focus when it opens, so screen readers announce where the member is. */
export function Screen({ title, name, children }: { title: string; name: string; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [name]);
  useEffect(() => {
    document.title = `${title} · Rhizome`;
  }, [title]);
  return (
    <section class="screen" data-screen={name} aria-labelledby={`${name}-title`}>
      <h1 id={`${name}-title`} tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </section>
  );
}

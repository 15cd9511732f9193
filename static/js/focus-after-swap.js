// Keyboard focus after an htmx swap. When the element that had focus is replaced (the "Don't suggest it again"
// button inside a suggestion card), the browser drops focus to the top of the page. New content marked
// data-focus-after-swap takes it instead, so a keyboard or screen-reader user stays where they were.
// htmx itself restores focus to an element whose id survives the swap; this covers the ones that do not.
document.addEventListener("htmx:load", (event) => {
  const element = event.detail.elt;
  if (!(element instanceof HTMLElement) || !element.matches("[data-focus-after-swap]")) {
    return;
  }
  const active = document.activeElement;
  if (active === null || active === document.body || !active.isConnected) {
    element.focus();
  }
});

// Panels that a phone keeps folded (a <details data-open-wide>) start open on a wide screen, where they fit beside
// the content. Without JavaScript they stay folded and open with one click.
if (window.matchMedia("(min-width: 48rem)").matches) {
  document.querySelectorAll("details[data-open-wide]").forEach((details) => {
    details.open = true;
  });
}

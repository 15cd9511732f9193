// Progressive enhancement: on a narrow screen, start the scrollable topic map at its centre, where the first
// topics are, instead of its empty left edge. The map works the same without it.
document.querySelectorAll(".topic-map").forEach((map) => {
  map.scrollLeft = (map.scrollWidth - map.clientWidth) / 2;
});

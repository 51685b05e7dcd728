// Bring the highlighted passage of a source into view (the URL may lack the #passage anchor).
(function () {
  var passage = document.getElementById("passage");
  if (passage) { passage.scrollIntoView({ block: "center" }); }
})();

/* Progressive enhancement of the "Link zu Frage N" links on the inquiry page:
   without JavaScript they are ordinary anchor links; with it, a click also copies
   the full address of the question to the clipboard and says so to screen readers. */
(function () {
  "use strict";
  if (!navigator.clipboard || !window.URL) {
    return;
  }
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.copy-link") : null;
    if (!link) {
      return;
    }
    var address = new URL(link.getAttribute("href"), window.location.href).href;
    navigator.clipboard.writeText(address).then(function () {
      var message = link.getAttribute("data-copied") || "";
      link.classList.add("copy-link--done");
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }, function () { /* Copying refused: the link still jumps to the question. */ });
  });
})();

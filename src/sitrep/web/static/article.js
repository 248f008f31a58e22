/* Article reader: toggles the struck-through boilerplate and brings the highlighted span into
 * view. The text itself is rendered (escaped) by the server; this script only changes classes. */
(function () {
  "use strict";
  var text = document.getElementById("text");
  var button = document.getElementById("toggle-removed");
  if (text && button) {
    button.addEventListener("click", function () {
      var hidden = text.classList.toggle("hide-removed");
      button.setAttribute("aria-pressed", hidden ? "true" : "false");
      button.textContent = hidden ? "Show removed boilerplate" : "Hide removed boilerplate";
    });
  }
  var hl = document.getElementById("hl");
  if (hl) hl.scrollIntoView({ block: "center" });
})();

/* Target units on the recommendation form: filter the tick boxes as one types in the search box.
 * Without this script the search box's button sends the form back and the server narrows the
 * list; with it the list narrows at once, ticked units always stay visible, and the button goes
 * (so that Enter in the form's other fields saves it again). */
(function () {
  "use strict";
  function setUp(picker) {
    var search = picker.querySelector("[data-unit-search]");
    var button = picker.querySelector("[data-unit-search-button]");
    var none = picker.querySelector("[data-unit-none]");
    var chosen = picker.querySelector("[data-unit-chosen]");
    var options = Array.prototype.slice.call(picker.querySelectorAll(".unit-option"));
    if (!search) { return; }
    if (button) { button.remove(); }
    function filter() {
      var needle = search.value.trim().toLowerCase();
      var shown = 0;
      options.forEach(function (option) {
        var box = option.querySelector("input[type=checkbox]");
        var match = !needle || box.checked || option.getAttribute("data-search").indexOf(needle) !== -1;
        option.hidden = !match;
        if (match) { shown += 1; }
      });
      if (none) { none.hidden = shown > 0; }
    }
    function count() {
      if (!chosen) { return; }
      var n = options.filter(function (option) {
        return option.querySelector("input[type=checkbox]").checked;
      }).length;
      chosen.textContent = String(n);
    }
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); filter(); }
    });
    picker.addEventListener("change", count);
    filter();
  }
  document.querySelectorAll("[data-unit-picker]").forEach(setUp);
})();

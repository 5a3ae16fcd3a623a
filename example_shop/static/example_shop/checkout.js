// Checkout niceties; the form works the same without them.
// - Hide the installation address while "same as billing" is ticked.
// - Hide the agent's details while the customer is placing the order themselves.
(function () {
  "use strict";

  function bindCheckbox(section) {
    var box = document.getElementById(section.dataset.hideWhenChecked);
    if (!box) { return; }
    var update = function () { section.hidden = box.checked; };
    box.addEventListener("change", update);
    update();
  }

  function bindRadios(section) {
    var radios = document.querySelectorAll('input[name="' + section.dataset.radioName + '"]');
    var update = function () {
      var checked = document.querySelector('input[name="' + section.dataset.radioName + '"]:checked');
      section.hidden = !checked || checked.value === section.dataset.showWhenNot;
    };
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  document.querySelectorAll("[data-hide-when-checked]").forEach(bindCheckbox);
  document.querySelectorAll("[data-show-when-not]").forEach(bindRadios);
})();

// The Opayo stand-in's drop-in checkout: sagepayCheckout({merchantSessionKey, containerSelector,
// onTokenise}).form() draws the card fields (Opayo's own draws them in its iframe) and .tokenise()
// sends the card to Opayo (POST /card-identifiers with the merchant session key), then calls
// onTokenise({success, cardIdentifier} or {success: false, error}). Served at /api/v1/js/sagepay.js.
(function () {
  "use strict";
  var api = "__STANDIN__";

  function field(container, name, label, size) {
    var wrapper = document.createElement("label");
    wrapper.textContent = label + " ";
    var input = document.createElement("input");
    input.type = "text";
    input.setAttribute("data-opayo", name);  // no name: never part of the shop's form
    input.setAttribute("aria-label", label);
    input.autocomplete = "off";
    input.size = size;
    wrapper.appendChild(input);
    container.appendChild(wrapper);
    return input;
  }

  window.sagepayCheckout = function (options) {
    var inputs = null;
    return {
      form: function () {
        var container = document.querySelector(options.containerSelector || "form");
        var box = document.createElement("div");
        box.className = "opayo-standin";
        inputs = {
          cardholderName: field(box, "cardholderName", "Name on card", 20),
          cardNumber: field(box, "cardNumber", "Card number", 19),
          expiryDate: field(box, "expiryDate", "Expiry (MMYY)", 4),
          securityCode: field(box, "securityCode", "Security code", 4),
        };
        container.appendChild(box);
      },
      tokenise: function () {
        var cardDetails = {};
        Object.keys(inputs).forEach(function (name) { cardDetails[name] = inputs[name].value.replace(/\s/g, name === "cardholderName" ? " " : ""); });
        fetch(api + "/card-identifiers", {
          method: "POST",
          headers: { "Authorization": "Bearer " + options.merchantSessionKey, "Content-Type": "application/json" },
          body: JSON.stringify({ cardDetails: cardDetails }),
        }).then(function (response) {
          return response.json().then(function (answer) {
            if (response.status === 201) {
              options.onTokenise({ success: true, cardIdentifier: answer.cardIdentifier });
            } else {
              var error = (answer.errors && answer.errors[0]) || answer;
              options.onTokenise({ success: false, error: { errorMessage: error.description } });
            }
          });
        }).catch(function () {
          options.onTokenise({ success: false, error: { errorMessage: "Opayo could not be reached." } });
        });
      },
    };
  };
})();

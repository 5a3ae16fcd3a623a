// Card payments with Opayo's drop-in checkout. The drop-in draws the card fields and sends the card
// to Opayo with the merchant session key; Opayo returns a single-use card identifier, and only
// "<merchant session key>:<card identifier>" is posted to the shop, which charges the amount it
// computed itself. Configuration and messages come from the form's data attributes.
(function () {
  "use strict";

  var form = document.getElementById("jsg-opayo-form");
  if (!form) { return; }
  var button = form.querySelector(".jsg-payment__submit");
  var errorBox = document.getElementById("jsg-opayo-error");
  var statusBox = document.getElementById("jsg-opayo-status");
  var messages = form.dataset;
  var sessionKey = messages.merchantSessionKey;
  var busy = false;

  function say(text) { statusBox.textContent = text || ""; }
  function fail(text) {
    say("");
    errorBox.textContent = text || messages.messageError;
    button.disabled = false;
    busy = false;
  }

  if (typeof window.sagepayCheckout !== "function") {
    errorBox.textContent = messages.messageUnavailable;
    return;
  }

  function charge(cardIdentifier) {
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    body.append("token", sessionKey + ":" + cardIdentifier);
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      return response.json().catch(function () { return { status: "error" }; });
    }).then(function (answer) {
      if ((answer.status === "succeeded" || answer.status === "paid") && answer.redirect) {
        say(messages.messagePaid);
        window.location.assign(answer.redirect);
        return;
      }
      fail(answer.message);
    });
  }

  var checkout = window.sagepayCheckout({
    merchantSessionKey: sessionKey,
    containerSelector: "#jsg-opayo-card",
    onTokenise: function (result) {
      if (!result.success) {
        fail((result.error && result.error.errorMessage) || messages.messageExpired);
        return;
      }
      charge(result.cardIdentifier).catch(function () { fail(messages.messageError); });
    },
  });
  checkout.form();
  button.disabled = false;

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    button.disabled = true;
    errorBox.textContent = "";
    say(messages.messageProcessing);
    checkout.tokenise();
  });
})();

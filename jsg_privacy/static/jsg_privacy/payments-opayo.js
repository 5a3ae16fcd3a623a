// Card payments with Opayo's drop-in checkout. The drop-in draws the card fields and sends the card
// to Opayo with the merchant session key; Opayo returns a single-use card identifier, and only
// "<merchant session key>:<card identifier>" is posted to the shop, which charges the amount it
// computed itself. Configuration and messages come from the form's data attributes; payments.js
// does the posting.
(function () {
  "use strict";

  var form = document.getElementById("jsg-opayo-form");
  if (!form) { return; }
  var payment = window.jsgPayment(form, "jsg-opayo");
  var messages = payment.messages;
  var sessionKey = messages.merchantSessionKey;

  if (typeof window.sagepayCheckout !== "function") {
    payment.error(messages.messageUnavailable);
    return;
  }

  var checkout = window.sagepayCheckout({
    merchantSessionKey: sessionKey,
    containerSelector: "#jsg-opayo-card",
    onTokenise: function (result) {
      if (!result.success) {
        payment.fail((result.error && result.error.errorMessage) || messages.messageExpired);
        return;
      }
      payment.post(form.action, { token: sessionKey + ":" + result.cardIdentifier })
        .then(function (answer) { payment.finish(answer); })
        .catch(function () { payment.fail(messages.messageError); });
    },
  });
  checkout.form();
  payment.button.disabled = false;

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (payment.start()) { checkout.tokenise(); }
  });
})();

// Card payments with Stripe.js, confirmed in the browser. The card element belongs to Stripe: the
// card number goes from this page to Stripe and never to the shop. The shop first prepares a
// PaymentIntent for the amount it computed itself and hands back only its client secret; Stripe.js
// confirms it with the card (and shows the bank's 3-D Secure check when asked); then the shop asks
// Stripe how it went. Configuration and messages come from the form's data attributes (no inline
// script); payments.js does the posting. Works with real Stripe.js and with localstripe's stand-in.
(function () {
  "use strict";

  var form = document.getElementById("jsg-payment-form");
  if (!form) { return; }
  var payment = window.jsgPayment(form, "jsg-payment");
  var messages = payment.messages;

  if (typeof window.Stripe !== "function") {
    payment.error(messages.messageUnavailable);
    return;
  }

  var stripe = window.Stripe(messages.publishableKey);
  var card = stripe.elements().create("card");
  card.mount("#jsg-payment-card");
  payment.button.disabled = false;

  function confirmWithStripe(prepared) {
    if (prepared.status !== "requires_action") {
      payment.finish(prepared);
      return null;
    }
    return stripe.confirmCardPayment(prepared.client_secret, { payment_method: { card: card } })
      .then(function (result) {
        if (result.error && result.error.type === "validation_error") {
          payment.fail(result.error.message);  // nothing went to the bank: the same payment goes on
          return null;
        }
        // Paid, declined or not: the shop asks Stripe and records what it says.
        return payment.post(messages.confirmUrl).then(function (answer) {
          var notUsed = answer.status === "none" && result.error;  // Stripe.js's words then
          payment.finish(answer, notUsed ? result.error.message : "");
        });
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!payment.start()) { return; }
    payment.post(messages.prepareUrl)
      .then(confirmWithStripe)
      .catch(function () { payment.fail(messages.messageError); });
  });
})();

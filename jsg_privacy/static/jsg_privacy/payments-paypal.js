// PayPal's buttons (its JavaScript SDK, Orders v2). createOrder asks the shop to create the order for
// the amount it computed itself and returns PayPal's order id; the buyer approves at PayPal;
// onApprove asks the shop to capture it. Nothing the page sends names an amount. Configuration and
// messages come from the form's data attributes (no inline script); payments.js does the posting.
// Works with PayPal's SDK and with the local stand-in's.
(function () {
  "use strict";

  var form = document.getElementById("jsg-paypal-form");
  if (!form) { return; }
  var payment = window.jsgPayment(form, "jsg-paypal");
  var messages = payment.messages;

  if (!window.paypal || typeof window.paypal.Buttons !== "function") {
    payment.error(messages.messageUnavailable);
    return;
  }

  window.paypal.Buttons({
    createOrder: function () {
      payment.error("");
      return payment.post(messages.prepareUrl).then(function (answer) {
        if (answer.status !== "requires_action" || !answer.intent_id) {
          payment.finish(answer);
          return null;
        }
        return answer.intent_id;
      });
    },
    onApprove: function () {
      payment.say(messages.messageProcessing);
      return payment.post(messages.confirmUrl).then(function (answer) { payment.finish(answer); });
    },
    onCancel: function () { payment.fail(messages.messageCancelled); },
    onError: function () { payment.fail(messages.messageError); },
  }).render("#jsg-paypal-buttons");
})();

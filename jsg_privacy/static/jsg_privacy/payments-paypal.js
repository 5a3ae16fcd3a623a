// PayPal's buttons (its JavaScript SDK, Orders v2). createOrder asks the shop to create the order for
// the amount it computed itself and returns PayPal's order id; the buyer approves at PayPal;
// onApprove asks the shop to capture it. Nothing the page sends names an amount. Configuration and
// messages come from the form's data attributes (no inline script). Works with PayPal's SDK and with
// the local stand-in's.
(function () {
  "use strict";

  var form = document.getElementById("jsg-paypal-form");
  if (!form) { return; }
  var errorBox = document.getElementById("jsg-paypal-error");
  var statusBox = document.getElementById("jsg-paypal-status");
  var messages = form.dataset;

  function say(text) { statusBox.textContent = text || ""; }
  function fail(text) { say(""); errorBox.textContent = text || messages.messageError; }

  if (!window.paypal || typeof window.paypal.Buttons !== "function") {
    errorBox.textContent = messages.messageUnavailable;
    return;
  }

  function post(url) {
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      return response.json().catch(function () { return { status: "error" }; });
    });
  }

  function finish(answer) {
    if ((answer.status === "succeeded" || answer.status === "paid") && answer.redirect) {
      say(messages.messagePaid);
      window.location.assign(answer.redirect);
      return;
    }
    fail(answer.message);
  }

  window.paypal.Buttons({
    createOrder: function () {
      errorBox.textContent = "";
      return post(messages.prepareUrl).then(function (answer) {
        if (answer.status !== "requires_action" || !answer.intent_id) {
          finish(answer);
          return null;
        }
        return answer.intent_id;
      });
    },
    onApprove: function () {
      say(messages.messageProcessing);
      return post(messages.confirmUrl).then(finish);
    },
    onCancel: function () { fail(messages.messageCancelled); },
    onError: function () { fail(messages.messageError); },
  }).render("#jsg-paypal-buttons");
})();

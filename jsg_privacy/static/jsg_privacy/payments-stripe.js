// Card payments with Stripe.js, confirmed in the browser. The card element belongs to Stripe: the
// card number goes from this page to Stripe and never to the shop. The shop first prepares a
// PaymentIntent for the amount it computed itself and hands back only its client secret; Stripe.js
// confirms it with the card (and shows the bank's 3-D Secure check when asked); then the shop asks
// Stripe how it went. Configuration and messages come from the form's data attributes (no inline
// script). Works with real Stripe.js and with localstripe's stand-in.
(function () {
  "use strict";

  var form = document.getElementById("jsg-payment-form");
  if (!form) { return; }
  var button = form.querySelector(".jsg-payment__submit");
  var errorBox = document.getElementById("jsg-payment-error");
  var statusBox = document.getElementById("jsg-payment-status");
  var messages = form.dataset;
  var busy = false;

  function say(text) { statusBox.textContent = text || ""; }

  function fail(text) {
    say("");
    errorBox.textContent = text || messages.messageError;
    button.disabled = false;
    busy = false;
  }

  if (typeof window.Stripe !== "function") {
    errorBox.textContent = messages.messageUnavailable;
    return;
  }

  var stripe = window.Stripe(messages.publishableKey);
  var card = stripe.elements().create("card");
  card.mount("#jsg-payment-card");
  button.disabled = false;

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

  function finish(answer, stripeError) {
    if ((answer.status === "succeeded" || answer.status === "paid") && answer.redirect) {
      say(messages.messagePaid);
      window.location.assign(answer.redirect);
      return;
    }
    if (answer.status === "none" && stripeError) {
      fail(stripeError.message);  // Stripe.js's words: the card was not used
      return;
    }
    fail(answer.message);
  }

  function confirmWithStripe(prepared) {
    if (prepared.status !== "requires_action") {
      finish(prepared);
      return null;
    }
    return stripe.confirmCardPayment(prepared.client_secret, { payment_method: { card: card } })
      .then(function (result) {
        if (result.error && result.error.type === "validation_error") {
          fail(result.error.message);  // nothing was sent to the bank: the same payment goes on
          return null;
        }
        // Paid, declined or not: the shop asks Stripe and records what it says.
        return post(messages.confirmUrl).then(function (answer) { finish(answer, result.error); });
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    button.disabled = true;
    errorBox.textContent = "";
    say(messages.messageProcessing);
    post(messages.prepareUrl)
      .then(confirmWithStripe)
      .catch(function () { fail(messages.messageError); });
  });
})();

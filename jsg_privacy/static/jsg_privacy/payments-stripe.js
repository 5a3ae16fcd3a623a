// Card payments with Stripe.js. The card element belongs to Stripe: the card number goes from this
// page to Stripe, which returns a token, and only that token is posted to the shop. The shop works
// out the amount itself. Configuration and messages come from the form's data attributes (no inline
// script). Works with real Stripe.js and with localstripe's stand-in.
(function () {
  "use strict";

  var form = document.getElementById("jsg-payment-form");
  if (!form) { return; }
  var button = form.querySelector(".jsg-payment__submit");
  var errorBox = document.getElementById("jsg-payment-error");
  var statusBox = document.getElementById("jsg-payment-status");
  var messages = form.dataset;

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
  var busy = false;
  button.disabled = false;

  function post(url, data) {
    var body = new URLSearchParams(data);
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

  function handle(answer) {
    if ((answer.status === "succeeded" || answer.status === "paid") && answer.redirect) {
      say(messages.messagePaid);
      window.location.assign(answer.redirect);
      return null;
    }
    if (answer.status === "requires_action") {
      // 3-D Secure: Stripe.js shows the bank's check, then the shop asks Stripe how it went.
      return stripe.confirmCardPayment(answer.client_secret).then(function () {
        return post(messages.confirmUrl, {}).then(handle);
      });
    }
    fail(answer.message);
    return null;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    button.disabled = true;
    errorBox.textContent = "";
    say(messages.messageProcessing);
    Promise.resolve()
      .then(function () { return stripe.createToken(card); })
      .then(function (result) {
        if (result.error) {
          fail(result.error.message);
          return null;
        }
        return post(form.action, { token: result.token.id }).then(handle);
      })
      .catch(function () { fail(messages.messageError); });
  });
})();

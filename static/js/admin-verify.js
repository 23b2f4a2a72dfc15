/* The administrator's verification page (templates/admin_verify.html): while the server checks
 * every record (seconds on a big box), say so and keep the button from being pressed again. The
 * page works without this script; it only shows that the work has started. */
const form = document.querySelector('[data-testid="verify-form"]');
form.addEventListener("submit", () => {
  form.querySelector('[data-testid="verify-working"]').hidden = false;
  // Disabled after the submission has started, so the form is still sent.
  window.setTimeout(() => { form.querySelector('[data-testid="verify-run"]').disabled = true; }, 0);
});

// The paper ballots' scan form: several photos are sent one at a time, with "page 3 of 20"
// shown and announced as each is read; then the page reloads with what became of each page
// (the server's messages). Without this script the form sends them all at once.

var form = document.querySelector('[data-testid="scan-form"]');
var input = form && form.querySelector('input[type="file"]');
var progress = document.querySelector('[data-testid="scan-progress"]');

async function sendOne(file) {
  var body = new FormData();
  body.append("csrf_token", form.querySelector('input[name="csrf_token"]').value);
  body.append("pages", file, file.name);
  // Not following the redirect: the page it leads to would show (and use up) the messages
  // that the reload at the end shows.
  var response = await fetch(form.action, {
    method: "POST", body: body, credentials: "same-origin", redirect: "manual",
  });
  if (response.type !== "opaqueredirect" && !response.ok) throw new Error(String(response.status));
}

if (form && input && progress) {
  form.addEventListener("submit", async function (event) {
    var files = Array.from(input.files || []);
    if (files.length < 2) return; // one photo: the plain form post is as quick
    event.preventDefault();
    var bar = progress.querySelector("progress");
    var said = progress.querySelector("[data-field='said']");
    progress.hidden = false;
    bar.max = files.length;
    form.querySelector('button[type="submit"]').disabled = true;
    for (var i = 0; i < files.length; i += 1) {
      said.textContent = progress.dataset.reading
        .replace("%(num)s", String(i + 1)).replace("%(total)s", String(files.length));
      bar.value = i;
      try {
        await sendOne(files[i]);
      } catch (error) {
        said.textContent = progress.dataset.failed.replace("%(name)s", files[i].name);
        break;
      }
    }
    bar.value = files.length;
    window.location.reload();
  });
}

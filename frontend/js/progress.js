// A job's progress page (committee report, dashboard figures) follows the job while it runs.
//
// The part of the page marked data-job-progress="running" is fetched again every two
// seconds and put in place (it is a polite live region, so a screen reader hears the new
// percentage and, at the end, the link to the file) until the server says the job has
// finished. Nothing reloads the whole page, so nobody loses their place. Without
// JavaScript the page offers a "Check again" link instead.

const EVERY_MS = 2000;

export function initProgress() {
  const region = document.querySelector("[data-job-progress]");
  if (!region || region.dataset.jobProgress !== "running") {
    return;
  }
  const again = () => window.setTimeout(check, EVERY_MS);
  async function check() {
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (!response.ok) {
        again();
        return;
      }
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-job-progress]");
      if (!fresh) {
        return; // signed out, or the page changed: leave what is shown
      }
      region.innerHTML = fresh.innerHTML;
      region.dataset.jobProgress = fresh.dataset.jobProgress;
      if (fresh.dataset.jobProgress === "running") {
        again();
      }
    } catch {
      again(); // a dropped connection: try again
    }
  }
  again();
}

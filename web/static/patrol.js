/* Patrol pages: small enhancements; every page works without them.
 *
 * [data-live]: a region that re-reads itself from the server every few
 *   seconds. It sends the version it shows (If-None-Match); the server
 *   answers an empty 304 when nothing changed, else the region's HTML and
 *   its new version (X-Live-Version), and only then is the region redrawn.
 * [data-copy]: a button that copies the text of the element it names.
 */
(function () {
  "use strict";

  var HEADER = "X-Live-Version";

  function announce(region, text) {
    var status = document.getElementById(region.getAttribute("data-live-status"));
    if (status) {
      status.textContent = text;
    }
  }

  function redraw(region, html, version) {
    // Keep keyboard focus on the same control when it survives the redraw.
    var focused = document.activeElement;
    var focusedId = focused && region.contains(focused) ? focused.id : "";
    region.innerHTML = html;
    region.setAttribute("data-live-version", version);
    if (focusedId && document.getElementById(focusedId)) {
      document.getElementById(focusedId).focus();
    }
    announce(region, "Updated at " + new Date().toLocaleTimeString() + ".");
  }

  function watch(region) {
    var url = region.getAttribute("data-live");
    var every = parseInt(region.getAttribute("data-live-every"), 10) || 3000;

    function tick() {
      if (document.hidden) {
        window.setTimeout(tick, every);
        return;
      }
      var shown = region.getAttribute("data-live-version");
      fetch(url, {
        cache: "no-store", credentials: "same-origin", redirect: "error",
        headers: shown ? { "If-None-Match": "\"" + shown + "\"" } : {}
      })
        .then(function (answer) {
          if (answer.status === 304) {
            return null;
          }
          if (!answer.ok) {
            throw new Error("status " + answer.status);
          }
          var version = answer.headers.get(HEADER);
          return answer.text().then(function (html) {
            if (version && version !== region.getAttribute("data-live-version")) {
              redraw(region, html, version);
            }
          });
        })
        .catch(function () {
          announce(region, "Could not update; use Refresh.");
        })
        .then(function () {
          window.setTimeout(tick, every);
        });
    }

    window.setTimeout(tick, every);
  }

  function copier(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        button.textContent = "Copied";
      });
    });
  }

  document.querySelectorAll("[data-live]").forEach(watch);
  document.querySelectorAll("[data-copy]").forEach(copier);
})();

"""Scripts run in the dashboard's page to watch what it shows: used by the speed benchmark and the browser tests.

Counting in the page (a MutationObserver on the week label) sees every update the room sees, without
the delay of asking the page from outside several times a second.
"""

RECORD_WEEKS = """() => {
  window.simWeeks = [];
  const start = performance.now();
  new MutationObserver(() => {
    const shown = document.querySelector('.sim-network .sim-week');
    const last = window.simWeeks[window.simWeeks.length - 1];
    if (shown && (!last || last[1] !== shown.textContent)) window.simWeeks.push([performance.now() - start, shown.textContent]);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""

PAUSE = """() => { for (const b of document.querySelectorAll('button')) if (b.innerText.includes('❚❚') && !b.disabled) b.click(); }"""

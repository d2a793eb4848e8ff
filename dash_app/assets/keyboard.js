// Keyboard access to the tabs: dcc.Tabs draws each tab as a plain <div> that only a mouse can
// use, and has no option for it, so each tab is given role="tab" and a tab stop here; Enter
// or Space opens it, the arrow keys move between tabs.
(function () {
  function label(root) {
    root.querySelectorAll('.tab').forEach(function (tab) {
      if (tab.getAttribute('tabindex') === null) {
        tab.setAttribute('tabindex', '0');
        tab.setAttribute('role', 'tab');
      }
      tab.setAttribute('aria-selected', tab.classList.contains('tab--selected') ? 'true' : 'false');
    });
  }
  document.addEventListener('keydown', function (event) {
    var tab = event.target.closest && event.target.closest('.tab[role="tab"]');
    if (!tab) { return; }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      tab.click();
    } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      var tabs = Array.prototype.slice.call(tab.parentNode.querySelectorAll('.tab[role="tab"]'));
      var next = tabs[(tabs.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      event.preventDefault();
    }
  });
  new MutationObserver(function () { label(document); })
    .observe(document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ['class']});
})();

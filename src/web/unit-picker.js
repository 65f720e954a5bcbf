// Unit picker: the matches follow the typing (the Search button does the same without JavaScript).
(function () {
  'use strict';
  function init(box) {
    if (box.getAttribute('data-ready')) return;
    box.setAttribute('data-ready', '1');
    if (box.getAttribute('data-multi')) return initMulti(box);
    var input = box.querySelector('input[type=search]');
    var list = box.querySelector('.up-options');
    var status = box.querySelector('.up-status');
    var button = box.querySelector('.up-search button');
    var shown = box.querySelector('input[type=hidden][name="' + box.getAttribute('data-name') + '_q0"]');
    var name = box.getAttribute('data-name');
    var byCode = box.getAttribute('data-value-kind') === 'code';
    var required = !!box.querySelector('input[type=radio][required]') || box.hasAttribute('data-required');
    var timer = null;
    var q0 = function () {
      return input.value.trim() !== '';
    };
    var seq = 0;
    function render(units, q) {
      // the list now answers q: an Enter that reaches the hidden first button sends the form (see enterSearches)
      if (shown) shown.value = q;
      var checked = list.querySelector('input[type=radio]:checked');
      var keep = checked ? checked.closest('li') : null;
      var keepValue = checked ? checked.value : null;
      while (list.firstChild) list.removeChild(list.firstChild);
      if (keep) list.appendChild(keep);
      units.forEach(function (u) {
        var v = byCode ? u.code : String(u.id);
        if (v === keepValue) return;
        var li = document.createElement('li');
        var label = document.createElement('label');
        label.className = 'check';
        var r = document.createElement('input');
        r.type = 'radio';
        r.name = name;
        r.value = v;
        if (required) r.required = true;
        label.appendChild(r);
        label.appendChild(document.createTextNode(' ' + u.label));
        li.appendChild(label);
        list.appendChild(li);
      });
      status.textContent = units.length
        ? status.getAttribute('data-found').replace('{n}', units.length)
        : status.getAttribute('data-none');
      // one match and nothing chosen yet: it is the choice (as the search without JavaScript does)
      var radios = list.querySelectorAll('input[type=radio]');
      if (!keep && radios.length === 1 && q0()) {
        radios[0].checked = true;
        radios[0].dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
    function search() {
      var q = input.value.trim();
      var mine = ++seq;
      var url = '/units/pick?' + box.getAttribute('data-unit-picker') + '&q=' + encodeURIComponent(q);
      fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (data) {
          if (data && mine === seq) render(data.units, q);
        })
        .catch(function () {});
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        search();
      }
    });
    if (button)
      button.addEventListener('click', function (e) {
        e.preventDefault();
        search();
      });
  }
  // Several units: the matches follow the typing as unticked boxes; ticking one moves it to the chosen list.
  function initMulti(box) {
    var input = box.querySelector('input[type=search]');
    var chosen = box.querySelector('.up-chosen');
    var list = box.querySelector('.up-options');
    var status = box.querySelector('.up-status');
    var none = box.querySelector('.up-none');
    var button = box.querySelector('.up-search button');
    var name = box.getAttribute('data-name');
    var shown = box.querySelector('input[type=hidden][name="' + name + '_q0"]');
    var timer = null;
    var seq = 0;
    function isChosen(v) {
      return !!chosen.querySelector('input[value="' + v + '"]');
    }
    function option(u) {
      var li = document.createElement('li');
      var label = document.createElement('label');
      label.className = 'check';
      var c = document.createElement('input');
      c.type = 'checkbox';
      c.name = name;
      c.value = String(u.id);
      label.appendChild(c);
      label.appendChild(document.createTextNode(' ' + u.label));
      li.appendChild(label);
      return li;
    }
    function render(units, q) {
      if (shown) shown.value = q;
      while (list.firstChild) list.removeChild(list.firstChild);
      var n = 0;
      units.forEach(function (u) {
        n++;
        if (!isChosen(String(u.id))) list.appendChild(option(u));
      });
      status.textContent = q
        ? n
          ? status.getAttribute('data-found').replace('{n}', n)
          : status.getAttribute('data-none')
        : '';
    }
    function search() {
      var q = input.value.trim();
      var mine = ++seq;
      if (!q) return;
      var url = '/units/pick?' + box.getAttribute('data-unit-picker') + '&q=' + encodeURIComponent(q);
      fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (data) {
          if (data && mine === seq) render(data.units, q);
        })
        .catch(function () {});
    }
    list.addEventListener('change', function (e) {
      var c = e.target;
      if (!c || c.type !== 'checkbox' || !c.checked) return;
      var li = c.closest('li');
      chosen.appendChild(li);
      if (none) none.hidden = true;
      status.textContent = status.getAttribute('data-added').replace('{name}', li.textContent.trim());
      c.focus();
    });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        search();
      }
    });
    if (button)
      button.addEventListener('click', function (e) {
        e.preventDefault();
        search();
      });
  }
  // Enter in a form's own field submits the form with its own button: a picker's Search button may be the form's
  // first submit button, which browsers press for Enter (without JavaScript that searches and keeps what was typed).
  var TYPED = /^(text|email|tel|number|url|password|date|time|datetime-local|month|week)$/;
  function submitWithOwnButton(form) {
    if (form.getAttribute('data-enter-ready')) return;
    form.setAttribute('data-enter-ready', '1');
    form.addEventListener('keydown', function (e) {
      var t = e.target;
      if (e.key !== 'Enter' || e.defaultPrevented || !t || t.tagName !== 'INPUT' || !TYPED.test(t.type)) return;
      if (t.closest('[data-unit-picker]')) return;
      var own = Array.prototype.filter.call(
        form.querySelectorAll('button[type=submit], input[type=submit]'),
        function (b) {
          return !b.closest('[data-unit-picker]');
        },
      )[0];
      if (!own) return;
      e.preventDefault();
      if (form.requestSubmit) form.requestSubmit(own);
      else own.click();
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-unit-picker]'), function (box) {
    init(box);
    var form = box.closest('form');
    if (form) submitWithOwnButton(form);
  });
})();

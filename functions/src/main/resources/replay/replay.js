// The replay page (ADR 0042): fetches the task's recording with the link's token and plays it with rrweb's
// replayer, which rebuilds the recorded pages in a sandboxed frame (their scripts never run). The timeline marks
// the task's actions (or agent steps); a mark or a step in the list jumps there.
(function () {
  'use strict';
  const token = new URLSearchParams(location.search).get('token') || '';
  const base = location.pathname.replace(/\/$/, '');
  const $ = (id) => document.getElementById(id);
  const status = $('status');

  fetch(base + '/recording?token=' + encodeURIComponent(token), {cache: 'no-store'})
    .then((r) => {
      if (r.status === 404) {
        throw new Error('This replay link is unknown or has expired.');
      }
      if (!r.ok) {
        throw new Error('The recording could not be loaded (HTTP ' + r.status + ').');
      }
      return r.json();
    })
    .then(start)
    .catch((e) => { status.textContent = e.message; document.body.dataset.state = 'failed'; });

  function clock(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  function start(doc) {
    const events = doc.events || [];
    if (events.length < 2) {
      throw new Error('The recording holds no page.');
    }
    const replayer = new rrweb.Replayer(events, {
      root: $('player'), speed: 1, skipInactive: false, showWarning: false, mouseTail: false,
      UNSAFE_replayCanvas: false
    });
    const meta = replayer.getMetaData();
    const total = Math.max(1, meta.totalTime);
    // before the first full snapshot there is no page to show: a step that began earlier (the first navigation)
    // is shown from just after it (the replayer applies the events before a position, not at it)
    const first = events.find((e) => e.type === 2 /* rrweb FullSnapshot */);
    const earliest = first ? Math.max(0, first.timestamp - meta.startTime) + 1 : 0;
    const marks = (doc.marks || []).map((m, i) => ({
      n: i + 1, label: m.label || m.type, type: m.type,
      offset: Math.min(total, Math.max(earliest, m.at - meta.startTime))
    }));
    let playing = false;

    const position = $('position');
    position.max = String(total);
    $('controls').hidden = false;
    $('timeline').hidden = false;
    status.textContent = doc.truncated
      ? 'The recording reached its size limit and stopped before the task ended.'
      : marks.length + ' step(s) marked';

    function jump(to) {
      const offset = Math.max(earliest, to);
      if (playing) {
        replayer.play(offset);
      } else {
        replayer.pause(offset);
      }
      show(offset);
    }

    const markBox = $('marks');
    const list = $('steps');
    marks.forEach((m) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'mark';
      b.title = m.n + '. ' + m.label + ' (' + clock(m.offset) + ')';
      b.dataset.offset = String(m.offset);
      b.dataset.type = m.type;
      b.style.left = (100 * m.offset / total) + '%';
      b.addEventListener('click', () => jump(m.offset));
      markBox.appendChild(b);
      const li = document.createElement('li');
      const lb = document.createElement('button');
      lb.type = 'button';
      lb.textContent = m.label + ' (' + clock(m.offset) + ')';
      lb.dataset.type = m.type;
      lb.addEventListener('click', () => jump(m.offset));
      li.appendChild(lb);
      list.appendChild(li);
    });

    function show(now) {
      position.value = String(Math.round(now));
      $('time').textContent = clock(now) + ' / ' + clock(total);
      document.body.dataset.time = String(Math.round(now));
      const items = list.children;
      marks.forEach((m, i) => {
        const reached = m.offset <= now;
        markBox.children[i].classList.toggle('done', reached);
        const next = marks[i + 1];
        items[i].classList.toggle('current', reached && (!next || next.offset > now));
      });
    }

    function setPlaying(value) {
      playing = value;
      $('play').textContent = value ? 'Pause' : 'Play';
      document.body.dataset.state = value ? 'playing' : 'paused';
    }

    $('play').addEventListener('click', () => {
      if (playing) {
        replayer.pause();
        setPlaying(false);
      } else {
        const now = replayer.getCurrentTime();
        replayer.play(now >= total ? 0 : now);
        setPlaying(true);
      }
    });
    $('speed').addEventListener('change', (e) => replayer.setConfig({speed: Number(e.target.value)}));
    position.addEventListener('input', () => jump(Number(position.value)));
    replayer.on('finish', () => { setPlaying(false); show(total); document.body.dataset.state = 'ended'; });

    // the recorded page keeps its own size; the stage scales it down to the window's width
    function fit() {
      const frame = $('player').querySelector('iframe');
      if (!frame) {
        return;
      }
      const width = Number(frame.width) || frame.offsetWidth;
      const height = Number(frame.height) || frame.offsetHeight;
      const scale = Math.min(1, $('stage').clientWidth / Math.max(1, width));
      $('player').style.transform = 'scale(' + scale + ')';
      $('stage').style.height = Math.ceil(height * scale) + 'px';
    }
    window.addEventListener('resize', fit);
    replayer.on('resize', fit);

    function tick() {
      if (playing) {
        show(Math.min(total, replayer.getCurrentTime()));
      }
      requestAnimationFrame(tick);
    }
    replayer.play(0);
    setPlaying(true);
    fit();
    requestAnimationFrame(tick);
  }
})();

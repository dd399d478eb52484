// THE_BOT reference frontend: plain JS over the REST API. The API token lives in sessionStorage
// (sent as "Authorization: Token ..."); the HttpOnly sessionid cookie set at login only serves
// server-rendered pages and /media/ downloads.
'use strict';
(function () {
  const body = document.body;
  const page = body.dataset.page || '';
  const unsafeHtml = body.dataset.unsafeHtml === 'true'; // stored-xss fault: messages rendered as HTML
  const store = {
    get token() { return sessionStorage.getItem('thebot.token'); },
    get user() { try { return JSON.parse(sessionStorage.getItem('thebot.user') || 'null'); } catch { return null; } },
    save(token, user) { sessionStorage.setItem('thebot.token', token); sessionStorage.setItem('thebot.user', JSON.stringify(user)); },
    clear() { sessionStorage.removeItem('thebot.token'); sessionStorage.removeItem('thebot.user'); },
  };

  function $(sel, root) { return (root || document).querySelector(sel); }
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'testid') e.dataset.testid = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }
  function toast(message, kind) {
    let area = $('[data-testid="toast-area"]');
    if (!area) { area = el('div', { class: 'toast-area', testid: 'toast-area', 'aria-live': 'polite' }); body.append(area); }
    const t = el('div', { class: 'toast ' + (kind || ''), role: 'status', testid: 'toast', text: message });
    area.append(t);
    setTimeout(() => t.remove(), 6000);
  }
  async function api(path, opts) {
    opts = opts || {};
    const headers = Object.assign({}, opts.headers || {});
    if (store.token) headers['Authorization'] = 'Token ' + store.token;
    let payload = opts.body;
    if (payload && !(payload instanceof FormData)) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(payload); }
    const res = await fetch(path, { method: opts.method || 'GET', headers, body: payload, credentials: 'same-origin' });
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    if (res.status === 401 && !opts.anonymous) { store.clear(); location.href = '/auth/signin?next=' + encodeURIComponent(location.pathname); }
    return { status: res.status, ok: res.ok, data };
  }
  function errorText(r) { return (r.data && (r.data.error || r.data.detail)) || ('Ошибка ' + r.status); }
  function fmtDate(s) { return s ? new Date(s).toLocaleString('ru-RU') : '—'; }
  function text(node, value) { if (unsafeHtml) node.innerHTML = value; else node.textContent = value; return node; }

  const sidebars = {
    student: [['Главная', '/dashboard/student'], ['Предметы', '/progress'], ['Материалы', '/materials'], ['Расписание', '/schedule'], ['Чат', '/chat'], ['Граф знаний', '/knowledge-graph']],
    teacher: [['Главная', '/dashboard/teacher'], ['Материалы', '/materials'], ['Задания', '/assignments'], ['Прогресс', '/progress'], ['Отчёты', '/reports'], ['Чат', '/chat']],
    tutor: [['Главная', '/dashboard/tutor'], ['Мои ученики', '/progress'], ['Отчёты', '/reports'], ['Счета', '/payments'], ['Чат', '/chat']],
    parent: [['Главная', '/dashboard/parent'], ['Мои дети', '/progress'], ['История платежей', '/payments'], ['Счета', '/payments?new=1'], ['Статистика', '/progress?view=stats'], ['Отчёты', '/reports'], ['Чат', '/chat']],
    admin: [['Главная', '/dashboard/admin'], ['Пользователи', '/admin/users'], ['Мониторинг', '/admin/monitoring'], ['Чат', '/chat']],
  };

  function shell() {
    const user = store.user;
    if (!user) { location.href = '/auth/signin?next=' + encodeURIComponent(location.pathname + location.search); return null; }
    const nav = $('[data-testid="sidebar"]');
    for (const [label, href] of sidebars[user.role] || []) {
      const a = el('a', { href, testid: 'sidebar-link', text: label });
      if (location.pathname === href.split('?')[0]) a.classList.add('active');
      nav.append(a);
    }
    $('[data-testid="user-name"]').textContent = (user.first_name + ' ' + user.last_name).trim() + ' (' + user.role + ')';
    $('[data-testid="logout-button"]').addEventListener('click', async () => {
      await api('/api/auth/logout/', { method: 'POST' });
      store.clear();
      location.href = '/auth/signin';
    });
    return user;
  }

  // ---------- sign in ----------
  function signin() {
    const form = $('#login-form');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const login = $('[data-testid="login-email-input"]').value.trim();
      const password = $('[data-testid="login-password-input"]').value;
      const button = $('[data-testid="login-submit-button"]');
      button.disabled = true;
      const r = await api('/api/auth/login/', { method: 'POST', body: login.includes('@') ? { email: login, password } : { username: login, password }, anonymous: true });
      button.disabled = false;
      if (r.status === 200) {
        store.save(r.data.data.token, r.data.data.user);
        toast('Вход выполнен успешно!', 'success');
        const next = new URLSearchParams(location.search).get('next');
        const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard/' + r.data.data.user.role;
        setTimeout(() => { location.href = target; }, 400);
      } else if (r.status === 429) {
        toast('Слишком много попыток входа. Подождите 5 минут', 'error');
      } else if (r.status === 403) {
        toast('Учетная запись отключена', 'error');
      } else {
        toast('Неверный логин или пароль', 'error');
      }
    });
  }

  // ---------- dashboards ----------
  async function dashboard(user) {
    const role = body.dataset.role;
    if (role !== user.role) { location.href = '/unauthorized'; return; }
    const heading = $('[data-testid="dashboard-heading"]');
    heading.textContent = role === 'teacher' ? 'Личный кабинет преподавателя'
      : role === 'parent' ? 'Личный кабинет родителя'
      : role === 'admin' ? 'Панель администратора'
      : 'Привет, ' + user.first_name + '! 👋';
    const content = $('[data-testid="dashboard-content"]');
    const card = (title, value, id) => el('div', { class: 'card', testid: id }, el('div', { class: 'muted', text: title }), el('strong', { text: String(value ?? '—') }));
    if (role === 'student') {
      const r = await api('/api/dashboard/student/');
      if (!r.ok) return;
      content.append(card('Общий прогресс', r.data.stats.overall_progress + '%', 'stat-progress'), card('Завершено материалов', r.data.stats.completed_materials, 'stat-completed'));
      const list = el('ul', { testid: 'subject-list' });
      for (const s of r.data.subjects) list.append(el('li', { testid: 'subject-item', text: s.subject_name + ' — ' + s.progress_percentage + '% (' + s.teacher_name + ')' }));
      content.append(el('h2', { text: 'Мои предметы' }), list, el('p', {}, el('a', { href: '/assignments', testid: 'assignments-link', text: 'Мои задания' })));
    } else if (role === 'teacher') {
      const r = await api('/api/teacher/dashboard/');
      if (!r.ok) return;
      content.append(card('Учеников', r.data.stats.total_students, 'stat-students'), card('Материалов', r.data.stats.total_materials, 'stat-materials'), card('Ждут проверки', r.data.stats.pending_grading, 'stat-pending'));
      const list = el('ul', { testid: 'student-list' });
      for (const s of r.data.students) list.append(el('li', { testid: 'student-item', text: s.full_name + ' — ' + s.subject_name + ', ' + s.overall_progress + '%' }));
      content.append(el('h2', { text: 'Мои ученики' }), list);
    } else if (role === 'tutor') {
      const r = await api('/api/dashboard/tutor/');
      if (!r.ok) return;
      const list = el('ul', { testid: 'student-list' });
      for (const s of r.data.students) list.append(el('li', { testid: 'student-item', text: s.full_name + ' — ' + s.overall_progress + '%' }));
      content.append(card('Учеников', r.data.stats.total_students, 'stat-students'), el('h2', { text: 'Мои ученики' }), list);
    } else if (role === 'parent') {
      const r = await api('/api/parent/children/');
      if (!r.ok) return;
      const list = el('ul', { testid: 'children-list' });
      for (const c of r.data) list.append(el('li', { testid: 'child-item', text: c.full_name + ' — ' + c.overall_progress + '%' }));
      content.append(el('h2', { text: 'Мои дети' }), list);
    } else if (role === 'admin') {
      content.append(el('p', {}, el('a', { href: '/admin/users', testid: 'admin-users-link', text: 'Управление пользователями' })),
        el('p', {}, el('a', { href: '/admin/monitoring', testid: 'admin-monitoring-link', text: 'Мониторинг' })));
    }
  }

  // ---------- materials ----------
  async function materials(user) {
    const list = $('[data-testid="material-list"]');
    const params = new URLSearchParams(location.search);
    const search = $('[data-testid="material-search"]');
    search.value = params.get('search') || '';
    if (user.role === 'teacher' || user.role === 'tutor') $('[data-testid="material-create-link"]').hidden = false;
    const r = await api('/api/materials/materials/?' + params.toString());
    if (!r.ok) { list.append(el('p', { text: errorText(r) })); return; }
    if (r.data.results.length === 0) list.append(el('p', { testid: 'no-materials-message', text: 'Материалов нет' }));
    for (const m of r.data.results) {
      list.append(el('div', { class: 'card', testid: 'material-item', 'data-id': m.id },
        el('a', { href: '/materials/' + m.id, testid: 'material-link', text: m.title }),
        el('div', { class: 'muted', text: m.subject_name + ' · ' + m.type + ' · ' + m.status })));
    }
  }

  async function materialCreate(user) {
    if (!(user.role === 'teacher' || user.role === 'tutor')) { location.href = '/unauthorized'; return; }
    const select = $('[data-testid="material-subject-select"]');
    const subjects = await api('/api/materials/subjects/');
    for (const s of (subjects.data && subjects.data.results) || []) select.append(el('option', { value: s.id, text: s.name }));
    $('#material-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const form = new FormData(ev.target);
      if (!form.get('file') || !form.get('file').size) form.delete('file');
      form.set('is_public', $('[data-testid="material-public-checkbox"]').checked ? 'true' : 'false');
      const r = await api('/api/materials/materials/', { method: 'POST', body: form });
      if (r.status === 201) { toast('Материал создан', 'success'); setTimeout(() => { location.href = '/materials/' + r.data.id; }, 300); }
      else toast(errorText(r), 'error');
    });
  }

  async function materialDetail(user) {
    const id = body.dataset.materialId;
    const comments = $('[data-testid="comment-list"]');
    const load = async () => {
      comments.replaceChildren();
      const r = await api('/api/materials/materials/' + id + '/comments/');
      for (const c of (r.data && r.data.results) || []) comments.append(text(el('div', { class: 'card', testid: 'comment-item' }), c.author_name + ': ' + c.content));
    };
    await load();
    $('#comment-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const input = $('[data-testid="comment-input"]');
      const r = await api('/api/materials/materials/' + id + '/comments/', { method: 'POST', body: { content: input.value } });
      if (r.status === 201) { input.value = ''; await load(); } else toast(errorText(r), 'error');
    });
    const answer = $('#answer-form');
    if (user.role === 'student') {
      answer.hidden = false;
      answer.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const form = new FormData(ev.target);
        if (!form.get('submission_file') || !form.get('submission_file').size) form.delete('submission_file');
        const r = await api('/api/student/materials/' + id + '/submissions/', { method: 'POST', body: form });
        if (r.status === 201) toast('Ответ отправлен', 'success'); else toast(errorText(r), 'error');
      });
      const done = $('[data-testid="material-complete-button"]');
      done.hidden = false;
      done.addEventListener('click', async () => {
        const r = await api('/api/materials/materials/' + id + '/update_progress/', { method: 'POST', body: { progress_percentage: 100, time_spent: 5 } });
        if (r.ok) toast('Прогресс сохранён', 'success'); else toast(errorText(r), 'error');
      });
    }
  }

  // ---------- assignments ----------
  async function assignments(user) {
    const list = $('[data-testid="assignment-list"]');
    const teacher = user.role === 'teacher' || user.role === 'tutor';
    if (teacher) {
      const form = $('#assignment-form');
      form.hidden = false;
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = new FormData(ev.target);
        const bodyJson = Object.fromEntries(f.entries());
        bodyJson.start_date = new Date().toISOString();
        bodyJson.due_date = new Date(bodyJson.due_date).toISOString();
        bodyJson.assigned_to = (bodyJson.assigned_to || '').split(',').map(s => parseInt(s, 10)).filter(n => n > 0);
        bodyJson.max_score = parseInt(bodyJson.max_score || '100', 10);
        const r = await api('/api/assignments/', { method: 'POST', body: bodyJson });
        if (r.status === 201) { toast('Задание создано', 'success'); setTimeout(() => location.reload(), 400); } else toast(errorText(r), 'error');
      });
    }
    const r = await api('/api/assignments/');
    if (!r.ok) return;
    for (const a of r.data.results) {
      const item = el('div', { class: 'card', testid: 'assignment-item', 'data-id': a.id },
        el('strong', { testid: 'assignment-title', text: a.title }), el('div', { class: 'muted', text: 'Срок: ' + fmtDate(a.due_date) + ' · макс. балл ' + a.max_score }),
        el('p', { text: a.description }));
      if (user.role === 'student') {
        const form = el('form', { class: 'stack', testid: 'assignment-submit-form' },
          el('label', { text: 'Ответ' }), el('textarea', { name: 'content', testid: 'assignment-answer-input', rows: 3 }),
          el('label', { text: 'Файл' }), el('input', { type: 'file', name: 'file', testid: 'assignment-file-input' }),
          el('button', { type: 'submit', testid: 'assignment-submit-button', text: 'Отправить' }));
        form.addEventListener('submit', async (ev) => {
          ev.preventDefault();
          const f = new FormData(form);
          f.set('assignment', a.id);
          if (!f.get('file') || !f.get('file').size) f.delete('file');
          const res = await api('/api/assignments/' + a.id + '/submit/', { method: 'POST', body: f });
          if (res.status === 201) toast('Ответ отправлен', 'success'); else toast(errorText(res), 'error');
        });
        item.append(form);
      }
      list.append(item);
    }
    const subs = await api('/api/assignments/submissions/');
    const table = $('[data-testid="submission-list"]');
    for (const s of (subs.data && subs.data.results) || []) {
      const row = el('tr', { testid: 'submission-item', 'data-id': s.id },
        el('td', { text: s.assignment_title }), el('td', { text: s.student_name }), el('td', { testid: 'submission-status', text: s.status }),
        el('td', { testid: 'submission-score', text: s.score === null ? '—' : s.score + ' (' + s.percentage + '%)' }));
      const cell = el('td');
      if (teacher) {
        const grade = el('input', { type: 'number', min: 0, max: 10, step: '0.5', testid: 'grade-input', placeholder: 'Оценка из 10', style: 'width:110px' });
        const feedback = el('input', { testid: 'feedback-input', placeholder: 'Комментарий' });
        const btn = el('button', { type: 'button', testid: 'grade-button', text: 'Оценить' });
        btn.addEventListener('click', async () => {
          const res = await api('/api/assignments/submissions/' + s.id + '/grade/', { method: 'POST', body: { grade: parseFloat(grade.value), feedback: feedback.value } });
          if (res.status === 201 || res.status === 200) { toast('Оценка сохранена', 'success'); setTimeout(() => location.reload(), 400); } else toast(errorText(res), 'error');
        });
        cell.append(grade, feedback, btn);
      }
      row.append(cell);
      table.append(row);
    }
  }

  // ---------- progress ----------
  async function progress(user) {
    const out = $('[data-testid="progress-content"]');
    const row = (label, value) => el('div', { class: 'card', testid: 'progress-item' }, el('strong', { text: label }), ' ', el('span', { text: value }));
    if (user.role === 'student') {
      const r = await api('/api/dashboard/student/progress/');
      if (!r.ok) return;
      out.append(row('Общий прогресс', r.data.overall_progress + '%'));
      for (const s of r.data.subjects) out.append(row(s.subject_name, s.progress_percentage + '% · ' + s.materials_completed + '/' + s.materials_total));
    } else if (user.role === 'teacher') {
      const r = await api('/api/teacher/progress/');
      for (const s of (r.data && r.data.students) || []) out.append(row(s.full_name, s.overall_progress + '% · ' + s.subject_name));
    } else if (user.role === 'tutor') {
      const r = await api('/api/dashboard/tutor/');
      for (const s of (r.data && r.data.students) || []) {
        const p = await api('/api/dashboard/tutor/students/' + s.id + '/progress/');
        out.append(row(s.full_name, (p.data ? p.data.overall_progress : 0) + '%'));
      }
    } else if (user.role === 'parent') {
      const r = await api('/api/parent/children/');
      for (const c of r.data || []) {
        const p = await api('/api/parent/children/' + c.id + '/progress/');
        out.append(row(c.full_name, (p.data ? p.data.overall_progress : 0) + '%'));
      }
    }
  }

  // ---------- chat ----------
  async function chat(user) {
    const chatList = $('[data-testid="chat-list"]');
    const contacts = $('[data-testid="contacts-list"]');
    const windowEl = $('[data-testid="chat-window"]');
    const header = $('[data-testid="chat-header"]');
    const messages = $('[data-testid="chat-messages"]');
    const typing = $('[data-testid="chat-typing"]');
    let socket = null, current = null, chats = [], contactRows = [];
    const renderMessage = (m) => {
      const item = el('div', { class: 'message', testid: 'chat-message', 'data-id': m.id },
        el('span', { class: 'who', text: (m.sender && m.sender.full_name) || '' }));
      item.append(text(el('span', { testid: 'chat-message-content' }), m.content));
      messages.append(item);
      messages.scrollTop = messages.scrollHeight;
    };
    const renderChats = () => {
      chatList.replaceChildren();
      const q = $('[data-testid="chat-search"]').value.toLowerCase();
      const shown = chats.filter(c => !q || ((c.other_participant && c.other_participant.full_name) || '').toLowerCase().includes(q));
      $('[data-testid="no-chats-message"]').hidden = chats.length > 0;
      for (const c of shown) {
        const name = (c.other_participant && c.other_participant.full_name) || c.name || ('Чат ' + c.id);
        const item = el('div', { class: 'chat-item' + (current === c.id ? ' active' : ''), testid: 'chat-item', 'data-id': c.id },
          el('strong', { text: name }), ' ', c.unread_count ? el('span', { class: 'badge', testid: 'chat-unread', text: c.unread_count }) : null,
          el('div', { class: 'muted', text: c.last_message ? c.last_message.content.slice(0, 60) : 'Нет сообщений' }));
        item.addEventListener('click', () => openChat(c.id, name));
        chatList.append(item);
      }
    };
    const renderContacts = () => {
      contacts.replaceChildren();
      const q = $('[data-testid="contact-search"]').value.toLowerCase();
      for (const c of contactRows.filter(c => !q || c.full_name.toLowerCase().includes(q) || c.email.includes(q))) {
        const item = el('div', { class: 'contact-item', testid: 'contact-item', 'data-id': c.id }, el('strong', { text: c.full_name }), ' ', el('span', { class: 'muted', text: c.role }));
        item.addEventListener('click', async () => {
          const r = await api('/api/chat/', { method: 'POST', body: { recipient_id: c.id } });
          if (r.status === 201) { await loadChats(); openChat(r.data.id, c.full_name); } else toast(errorText(r), 'error');
        });
        contacts.append(item);
      }
    };
    const loadChats = async () => { const r = await api('/api/chat/'); chats = (r.data && r.data.results) || []; renderChats(); };
    const openChat = async (id, name) => {
      current = id;
      renderChats();
      windowEl.hidden = false;
      header.textContent = name;
      messages.replaceChildren();
      const r = await api('/api/chat/' + id + '/messages/?limit=50');
      for (const m of (r.data && r.data.results) || []) renderMessage(m);
      await api('/api/chat/' + id + '/mark_as_read/', { method: 'POST' });
      if (socket) socket.close(1000);
      const proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
      socket = new WebSocket(proto + location.host + '/ws/chat/' + id + '/');
      socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'auth', token: store.token })));
      socket.addEventListener('message', (ev) => {
        const frame = JSON.parse(ev.data);
        if (frame.type === 'auth_success') { windowEl.dataset.connected = 'true'; }
        else if (frame.type === 'message') { renderMessage(frame.message); if (frame.message.sender_id !== user.id) socket.send(JSON.stringify({ type: 'read' })); }
        else if (frame.type === 'typing') { typing.textContent = 'Собеседник печатает…'; setTimeout(() => { typing.textContent = ''; }, 2000); }
        else if (frame.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
        else if (frame.type === 'error') toast(frame.message, 'error');
      });
      socket.addEventListener('close', () => { windowEl.dataset.connected = 'false'; });
    };
    $('[data-testid="chat-search"]').addEventListener('input', renderChats);
    $('[data-testid="contact-search"]').addEventListener('input', renderContacts);
    const input = $('[data-testid="chat-message-input"]');
    input.addEventListener('input', () => { if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: 'typing' })); });
    $('#chat-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const content = input.value;
      if (!content.trim() || !current) return;
      if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: 'message', content }));
      else { const r = await api('/api/chat/' + current + '/send_message/', { method: 'POST', body: { content } }); if (r.status === 201) renderMessage(r.data); else toast(errorText(r), 'error'); }
      input.value = '';
    });
    const c = await api('/api/chat/contacts/');
    contactRows = (c.data && c.data.results) || [];
    renderContacts();
    await loadChats();
    const wanted = parseInt(new URLSearchParams(location.search).get('chat') || '', 10);
    const found = chats.find(x => x.id === wanted);
    if (found) openChat(found.id, (found.other_participant && found.other_participant.full_name) || '');
  }

  // ---------- reports ----------
  async function reports(user) {
    const list = $('[data-testid="report-list"]');
    const teacher = user.role === 'teacher' || user.role === 'tutor';
    if (teacher) {
      const form = $('#report-form');
      form.hidden = false;
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const r = await api('/api/reports/reports/', { method: 'POST', body: Object.fromEntries(new FormData(form).entries()) });
        if (r.status === 201) { toast('Отчёт создан', 'success'); setTimeout(() => location.reload(), 400); } else toast(errorText(r), 'error');
      });
    }
    const r = await api('/api/reports/reports/');
    for (const rep of (r.data && r.data.results) || []) {
      const item = el('div', { class: 'card', testid: 'report-item', 'data-id': rep.id },
        el('strong', { testid: 'report-title', text: rep.title }), el('div', { class: 'muted', testid: 'report-status', text: rep.type + ' · ' + rep.status + ' · ' + rep.start_date + ' — ' + rep.end_date }));
      const content = el('pre', { testid: 'report-content', text: rep.content ? JSON.stringify(rep.content, null, 2) : '' });
      if (teacher && rep.status !== 'ready') {
        const gen = el('button', { type: 'button', testid: 'report-generate-button', text: 'Сформировать' });
        gen.addEventListener('click', async () => {
          const g = await api('/api/reports/reports/' + rep.id + '/generate/', { method: 'POST' });
          if (g.ok) { toast('Отчёт сформирован', 'success'); content.textContent = JSON.stringify(g.data.content, null, 2); gen.remove(); } else toast(errorText(g), 'error');
        });
        item.append(gen);
      }
      item.append(content);
      list.append(item);
    }
  }

  // ---------- payments ----------
  async function payments(user) {
    const form = $('#payment-form');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const data = Object.fromEntries(new FormData(form).entries());
      data.return_url = location.origin + '/payments';
      let r;
      if (user.role === 'parent' && data.child_id) r = await api('/api/payments/initiate/', { method: 'POST', body: { child_id: parseInt(data.child_id, 10), amount: data.amount, description: data.description, return_url: data.return_url } });
      else r = await api('/api/payments/payments/', { method: 'POST', body: data });
      if (r.status === 201) { toast('Переход к оплате…', 'success'); location.href = r.data.confirmation_url; }
      else toast(errorText(r), 'error');
    });
    if (user.role === 'parent') {
      const select = $('[data-testid="payment-child-select"]');
      select.parentElement.hidden = false;
      const c = await api('/api/parent/children/');
      for (const child of c.data || []) select.append(el('option', { value: child.id, text: child.full_name }));
    }
    const paid = new URLSearchParams(location.search).get('paid');
    if (paid) toast('Оплата прошла успешно', 'success');
    const r = await api('/api/payments/payments/');
    const table = $('[data-testid="payment-history"]');
    const rows = (r.data && r.data.results) || [];
    $('[data-testid="no-payments-message"]').hidden = rows.length > 0;
    for (const p of rows)
      table.append(el('tr', { testid: 'payment-item', 'data-id': p.id }, el('td', { text: fmtDate(p.created) }), el('td', { text: p.service_name }),
        el('td', { testid: 'payment-amount', text: Number(p.amount).toFixed(2) + ' ₽' }), el('td', { testid: 'payment-status', text: p.status })));
  }

  // ---------- admin ----------
  async function adminUsers(user) {
    if (!user.is_staff && user.role !== 'admin') { location.href = '/unauthorized'; return; }
    const table = $('[data-testid="user-list"]');
    const load = async () => {
      table.replaceChildren();
      const q = $('[data-testid="user-search"]').value;
      const r = await api('/api/admin/users/?search=' + encodeURIComponent(q));
      for (const u of (r.data && r.data.results) || []) {
        const row = el('tr', { testid: 'user-item', 'data-id': u.id, 'data-email': u.email },
          el('td', { text: u.email }), el('td', { text: u.first_name + ' ' + u.last_name }), el('td', { text: u.role }),
          el('td', { testid: 'user-status', text: u.is_active ? 'активен' : 'отключён' }));
        const cell = el('td');
        const btn = el('button', { type: 'button', class: u.is_active ? 'danger' : 'secondary', testid: u.is_active ? 'user-deactivate-button' : 'user-activate-button', text: u.is_active ? 'Деактивировать' : 'Активировать' });
        btn.addEventListener('click', async () => {
          const res = await api('/api/admin/users/' + u.id + '/' + (u.is_active ? 'deactivate/' : 'activate/'), { method: 'POST' });
          if (res.ok) { toast(res.data.message, 'success'); await load(); } else toast(errorText(res), 'error');
        });
        cell.append(btn);
        row.append(cell);
        table.append(row);
      }
    };
    $('[data-testid="user-search"]').addEventListener('input', load);
    $('#user-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const r = await api('/api/admin/users/', { method: 'POST', body: Object.fromEntries(new FormData(ev.target).entries()) });
      if (r.status === 201) { toast('Пользователь создан', 'success'); ev.target.reset(); await load(); } else toast(errorText(r), 'error');
    });
    await load();
  }

  async function adminMonitoring(user) {
    if (!user.is_staff && user.role !== 'admin') { location.href = '/unauthorized'; return; }
    const out = $('[data-testid="monitoring-content"]');
    const reportButton = $('[data-testid="admin-report-button"]');
    if (reportButton) reportButton.addEventListener('click', async () => {
      const r = await api('/api/admin/reports/system/', { method: 'POST' });
      if (!r.ok) { toast(errorText(r), 'error'); return; }
      const rep = r.data.report, box = $('[data-testid="admin-report"]');
      box.replaceChildren(el('div', { testid: 'admin-report-users', text: 'Пользователей: ' + rep.users_total + ' (активных: ' + rep.users_active + ')' }),
        el('div', { text: 'Материалов: ' + rep.materials + ' · заданий: ' + rep.assignments + ' · ждут проверки: ' + rep.submissions_pending }),
        el('div', { text: 'Платежей: ' + rep.payments + ' · оплачено: ' + rep.payments_succeeded_amount + ' ₽' }),
        el('div', { class: 'muted', text: 'Сформирован: ' + fmtDate(rep.generated_at) }));
      box.hidden = false;
      toast(r.data.message, 'success');
    });
    const detailed = await api('/api/system/health/detailed/');
    const health = await api('/api/system/health/');
    const metrics = await api('/api/system/metrics/');
    const status = el('div', { class: 'card', testid: 'system-status' }, el('strong', { text: 'Статус системы: ' }), el('span', { testid: 'system-status-value', text: detailed.data ? detailed.data.status : 'unknown' }));
    out.append(status);
    for (const [name, c] of Object.entries((detailed.data && detailed.data.components) || {}))
      out.append(el('div', { class: 'card', testid: 'component-' + name }, el('strong', { text: name + ': ' }), el('span', { text: c.status })));
    if (health.data && health.data.alerts) for (const a of health.data.alerts) out.append(el('div', { class: 'card', testid: 'alert-item', text: a }));
    if (metrics.data) out.append(el('div', { class: 'card', testid: 'metrics-summary', text: 'Запросов: ' + metrics.data.requests.total + ' · ошибок: ' + metrics.data.errors.total + ' · средняя задержка: ' + metrics.data.latency.average_ms + ' мс' }));
  }

  function application() {
    $('#application-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const r = await api('/api/applications/submit/', { method: 'POST', body: Object.fromEntries(new FormData(ev.target).entries()), anonymous: true });
      if (r.status === 201) { $('[data-testid="application-result"]').textContent = 'Заявка принята. Номер: ' + r.data.tracking_token; toast('Заявка отправлена', 'success'); }
      else toast(errorText(r), 'error');
    });
  }

  const pages = {
    signin, application,
    dashboard, materials, 'material-create': materialCreate, 'material-detail': materialDetail, assignments, progress, chat, reports, payments,
    'admin-users': adminUsers, 'admin-monitoring': adminMonitoring, placeholder: () => {},
  };
  document.addEventListener('DOMContentLoaded', () => {
    const run = pages[page];
    if (!run) return;
    if (page === 'signin' || page === 'application') { run(); return; }
    const user = shell();
    if (user) Promise.resolve(run(user)).catch(e => toast('Ошибка: ' + e.message, 'error'));
  });
})();

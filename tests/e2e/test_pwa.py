"""The installable app on a phone: the service worker installs, caches the static shell, and a page
opened offline shows the offline page while the cached stylesheets still load."""
from playwright.sync_api import expect


def test_service_worker_serves_the_shell_offline(phone_page, live_server):
    page = phone_page
    page.goto(live_server.url + "/login")
    assert page.evaluate("navigator.serviceWorker.ready.then((registration) => registration.active !== null)")
    cached = page.evaluate("""caches.keys().then((names) => caches.open(names[0]).then((cache) => cache.keys())
                              .then((requests) => [names, requests.map((request) => request.url)]))""")
    names, urls = cached
    assert len(names) == 1 and names[0].startswith("quizapp-shell-")
    stylesheet = next(url for url in urls if "/static/css/app.css" in url)
    page.reload()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.context.set_offline(True)
    try:
        page.goto(live_server.url + "/quiz/")
        expect(page.get_by_role("heading", name="暂时无法联网")).to_be_visible()
        assert page.evaluate("(url) => fetch(url).then((response) => response.status)", stylesheet) == 200
    finally:
        page.context.set_offline(False)

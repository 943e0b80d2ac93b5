// Renders the API reference; a file of its own because the page's Content-Security-Policy runs no inline script.
window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#reference',
    deepLinking: true,
    tryItOutEnabled: false,
    persistAuthorization: false
  });
});

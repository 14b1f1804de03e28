"""The Telegram edge of Scorelijst: settings, the application, handlers, rendering and the demo."""

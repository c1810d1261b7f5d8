from app.pages import figure_page

figure_page("hurts").servable(title="Momentum Explorer · When momentum hurts")

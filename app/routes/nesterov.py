from app.pages import figure_page

figure_page("nesterov").servable(title="Momentum Explorer · Nesterov's momentum")

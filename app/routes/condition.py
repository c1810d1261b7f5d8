from app.pages import figure_page

figure_page("condition").servable(title="Momentum Explorer · Condition number")

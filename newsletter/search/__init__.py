"""The public search of the newsletter: Chinese text, one character or more,
in the title, subtitle or body of published articles.

``text`` builds what is stored with each article and the highlighted excerpt
(no model imports, so the model's save hook can use it); ``query`` turns a
query into a queryset; ``forms`` reads the search form."""

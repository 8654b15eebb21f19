# ScopeGrowth production image: gunicorn behind whitenoise; the same image runs the worker and beat.
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static ./static
# Each page's CSS keeps only the NHS.UK rules it can use: the build reads the templates and the
# Python that writes classes (bin/build-css.mjs).
COPY bin/build-css.mjs bin/css-python.mjs bin/css-trim.mjs ./bin/
COPY templates ./templates
# (the apps' forms, markup modules and views: a page's form kinds come from the view naming it).
COPY scopegrowth ./scopegrowth
COPY reminders ./reminders
COPY journals ./journals
COPY conversations ./conversations
COPY devplans ./devplans
COPY insight ./insight
COPY rounds ./rounds
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
# WeasyPrint needs Pango; fonts are local (nothing is fetched when rendering a PDF).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-liberation2 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 scopegrowth
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY scopegrowth ./scopegrowth
COPY journals ./journals
COPY conversations ./conversations
COPY devplans ./devplans
COPY insight ./insight
COPY rounds ./rounds
COPY reminders ./reminders
RUN pip install --no-cache-dir -c constraints.txt .
COPY manage.py gunicorn.conf.py ./
COPY templates ./templates
COPY static ./static
COPY --from=frontend /build/static/build ./static/build
COPY --from=frontend /build/node_modules/nhsuk-frontend/dist/nhsuk ./node_modules/nhsuk-frontend/dist/nhsuk
RUN SECRET_KEY=build-only-secret-key-that-is-long-enough-for-the-production-check \
    ALLOWED_HOSTS=build SCOPEGROWTH_VAR_DIR=/tmp/var python manage.py collectstatic --noinput \
 && mkdir -p /app/var && chown -R scopegrowth /app/var
USER scopegrowth
EXPOSE 8000
CMD ["gunicorn", "scopegrowth.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]

FROM python:3.12-slim
RUN useradd --uid 10001 --create-home app
USER app
WORKDIR /home/app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5
COPY --chown=app:app . .
CMD ["gunicorn", "app:wsgi", "--bind", "0.0.0.0:8000"]

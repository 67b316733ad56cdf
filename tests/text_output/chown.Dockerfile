FROM python:3.12-slim
RUN groupadd --gid 10001 app && useradd --uid 10001 --gid app --create-home app
WORKDIR /home/app
COPY requirements.txt /home/app/
RUN pip install --no-cache-dir --retries 5 -r /home/app/requirements.txt
USER app
CMD ["python", "-m", "http.server", "8080"]

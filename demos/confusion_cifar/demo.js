// confusion_cifar: the confusion-matrix explorer on its data.json and sprite sheet.
import { mountConfusionDemos } from "../_shared/confusion.js";

mountConfusionDemos("confusion_cifar", "cifar_classes");
